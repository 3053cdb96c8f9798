using Kairos.Settings;

namespace Kairos.Deep.Lstm;

/// <summary>Shape of the BiLSTM encoder shared by pretraining and the classifier. Defaults follow seed 003.</summary>
public sealed record BiLstmEncoderOptions
{
    /// <summary>Features per bar (the relative transform's 11). Default 11.</summary>
    public int InputSize { get; init; } = 11;
    /// <summary>The encoder settings of <c>kairos pretrain</c>, <c>kairos train lstm</c> and the run config's <c>lstm:</c> section, defined once.</summary>
    public static class Settings
    {
        public static readonly IntSetting Hidden = new("hidden", 128, 1, 4096, "LSTM hidden units per direction.");
        public static readonly IntSetting Layers = new("layers", 2, 1, 64, "Stacked LSTM layers.");
        public static readonly DoubleSetting Dropout = new("dropout", 0.1, 0, 1, "Dropout on the encoder output.", MaxExclusive: true);
    }

    /// <summary>Hidden units per direction (<see cref="Settings.Hidden"/>).</summary>
    public int HiddenSize { get; init; } = Settings.Hidden.Default;
    /// <summary>Stacked LSTM layers (<see cref="Settings.Layers"/>).</summary>
    public int Layers { get; init; } = Settings.Layers.Default;
    /// <summary>Dropout on the encoder output, seeded, so resumable (<see cref="Settings.Dropout"/>).</summary>
    public double Dropout { get; init; } = Settings.Dropout.Default;

    /// <summary>Width of the encoder output per position: both directions.</summary>
    public int OutputSize => 2 * HiddenSize;

    public IReadOnlyList<string> Problems()
    {
        var p = new List<string>();
        if (InputSize <= 0) p.Add($"input_size must be positive (got {InputSize})");
        p.AddRange(new[] { Settings.Hidden.Problem(HiddenSize), Settings.Layers.Problem(Layers), Settings.Dropout.Problem(Dropout) }.OfType<string>());
        return p;
    }

    /// <summary>
    /// Multiply-adds x 2 of one forward pass over a window of <paramref name="length"/> bars: per layer, direction and
    /// step the four gates' input and recurrent matmuls, 4 x (in + hidden) x hidden multiply-adds.
    /// </summary>
    public double ForwardFlops(int length)
    {
        double flops = 0;
        for (var layer = 0; layer < Layers; layer++)
        {
            var input = layer == 0 ? InputSize : OutputSize;
            flops += 2.0 * 2 * length * 4.0 * (input + HiddenSize) * HiddenSize;
        }
        return flops;
    }
}
