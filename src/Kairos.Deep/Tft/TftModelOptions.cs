namespace Kairos.Deep.Tft;

/// <summary>
/// Architecture of the Temporal Fusion Transformer (Lim et al., 2021). Defaults are sized to train on a
/// 2-core CPU at the design notes' input scale (L 30, 16 sequence and 99 static variables).
/// </summary>
public sealed record TftModelOptions
{
    /// <summary>Width of every gated residual network, the LSTM and the attention (d_model). Default 32.</summary>
    public int Hidden { get; init; } = 32;
    /// <summary>Attention heads; must divide <see cref="Hidden"/>. Default 4.</summary>
    public int Heads { get; init; } = 4;
    /// <summary>Stacked LSTM encoder layers. Default 1 (the paper's).</summary>
    public int LstmLayers { get; init; } = 1;
    /// <summary>Dropout before every gated linear unit and on the attention output. Default 0.1.</summary>
    public double Dropout { get; init; } = 0.1;

    /// <summary>Every problem with these options, named by their command-line option (empty when valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var p = new List<string>();
        if (Hidden <= 0) p.Add($"--hidden must be positive (got {Hidden})");
        if (Heads <= 0) p.Add($"--heads must be positive (got {Heads})");
        if (LstmLayers <= 0) p.Add($"--layers must be positive (got {LstmLayers})");
        if (Hidden > 0 && Heads > 0 && Hidden % Heads != 0) p.Add($"--heads ({Heads}) must divide --hidden ({Hidden})");
        if (!(Dropout >= 0 && Dropout < 1)) p.Add($"--dropout must be in [0, 1) (got {Dropout})");
        return p;
    }
}
