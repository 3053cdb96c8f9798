using Kairos.Settings;

namespace Kairos.Deep.Tft;

/// <summary>
/// Architecture of the Temporal Fusion Transformer (Lim et al., 2021). Defaults are sized to train on a
/// 2-core CPU at the design notes' input scale (L 30, 16 sequence and 99 static variables).
/// </summary>
public sealed record TftModelOptions
{
    /// <summary>The architecture settings of <c>kairos train tft</c> and the run config's <c>tft:</c> section, defined once.</summary>
    public static class Settings
    {
        public static readonly IntSetting Hidden = new("hidden", 32, 1, 4096, "Width of every gated residual network, the LSTM and the attention.");
        public static readonly IntSetting Heads = new("heads", 4, 1, 256, "Attention heads, must divide --hidden.");
        public static readonly IntSetting LstmLayers = new("layers", 1, 1, 64, "Stacked LSTM encoder layers.");
        public static readonly DoubleSetting Dropout = new("dropout", 0.1, 0, 1, "Dropout before every gated linear unit.", MaxExclusive: true);
    }

    /// <summary>Width of every gated residual network, the LSTM and the attention, d_model (<see cref="Settings.Hidden"/>).</summary>
    public int Hidden { get; init; } = Settings.Hidden.Default;
    /// <summary>Attention heads; must divide <see cref="Hidden"/> (<see cref="Settings.Heads"/>).</summary>
    public int Heads { get; init; } = Settings.Heads.Default;
    /// <summary>Stacked LSTM encoder layers; 1 is the paper's (<see cref="Settings.LstmLayers"/>).</summary>
    public int LstmLayers { get; init; } = Settings.LstmLayers.Default;
    /// <summary>Dropout before every gated linear unit and on the attention output (<see cref="Settings.Dropout"/>).</summary>
    public double Dropout { get; init; } = Settings.Dropout.Default;

    /// <summary>Every problem with these options, named by their command-line option (empty when valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var p = new[] { Settings.Hidden.Problem(Hidden, flag: true), Settings.Heads.Problem(Heads, flag: true), Settings.LstmLayers.Problem(LstmLayers, flag: true) }
            .OfType<string>().ToList();
        if (Hidden > 0 && Heads > 0 && Hidden % Heads != 0) p.Add($"--heads ({Heads}) must divide --hidden ({Hidden})");
        if (Settings.Dropout.Problem(Dropout, flag: true) is { } dropout) p.Add(dropout);
        return p;
    }
}
