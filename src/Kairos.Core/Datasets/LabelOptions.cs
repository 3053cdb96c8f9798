namespace Kairos.Datasets;

/// <summary>Label settings (YAML section <c>labels</c>); defaults from the design notes.</summary>
public sealed record LabelOptions
{
    public LabelMethod Method { get; init; } = LabelMethod.FixedHorizon;

    /// <summary>Bars after entry over which MAE / MFE and the early move are measured.</summary>
    public int EarlyWindow { get; init; } = 6;

    /// <summary>Bars ahead for the fixed-horizon direction label.</summary>
    public int DirectionHorizon { get; init; } = 12;

    /// <summary><c>y_early_move</c> = 1 when MFE reaches this many ATR before MAE reaches <see cref="AdverseAtr"/>.</summary>
    public double EarlyMoveAtr { get; init; } = 1.0;

    public double AdverseAtr { get; init; } = 1.0;

    public double BarrierUpperAtr { get; init; } = 1.5;
    public double BarrierLowerAtr { get; init; } = 1.0;
    public int BarrierHorizon { get; init; } = 12;

    /// <summary>Bars after the decision bar that any label reads.</summary>
    public int Horizon => Math.Max(EarlyWindow, Method == LabelMethod.TripleBarrier ? BarrierHorizon : DirectionHorizon);
}
