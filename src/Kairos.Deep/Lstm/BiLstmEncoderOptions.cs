namespace Kairos.Deep.Lstm;

/// <summary>Shape of the BiLSTM encoder shared by pretraining and the classifier. Defaults follow seed 003.</summary>
public sealed record BiLstmEncoderOptions
{
    /// <summary>Features per bar (the relative transform's 11). Default 11.</summary>
    public int InputSize { get; init; } = 11;
    /// <summary>Hidden units per direction. Default 128.</summary>
    public int HiddenSize { get; init; } = 128;
    /// <summary>Stacked LSTM layers. Default 2.</summary>
    public int Layers { get; init; } = 2;
    /// <summary>Dropout on the encoder output (seeded, so resumable). Default 0.1.</summary>
    public double Dropout { get; init; } = 0.1;

    /// <summary>Width of the encoder output per position: both directions.</summary>
    public int OutputSize => 2 * HiddenSize;

    public IReadOnlyList<string> Problems()
    {
        var p = new List<string>();
        if (InputSize <= 0) p.Add($"input_size must be positive (got {InputSize})");
        if (HiddenSize <= 0) p.Add($"hidden must be positive (got {HiddenSize})");
        if (Layers <= 0) p.Add($"layers must be positive (got {Layers})");
        if (!(Dropout >= 0 && Dropout < 1)) p.Add($"dropout must be in [0, 1) (got {Dropout})");
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
