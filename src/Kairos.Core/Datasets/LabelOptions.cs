using Kairos.Settings;

namespace Kairos.Datasets;

/// <summary>Label settings (YAML section <c>labels</c>); defaults from the design notes.</summary>
public sealed record LabelOptions
{
    /// <summary>The number settings of the YAML section <c>labels</c>, defined once.</summary>
    public static class Settings
    {
        public static readonly IntSetting EarlyWindow = new("early_window", 6, 1, 10_000, "Bars after entry over which MAE / MFE and the early move are measured.");
        public static readonly IntSetting DirectionHorizon = new("direction_horizon", 12, 1, 10_000, "Bars ahead for the fixed-horizon direction label.");
        public static readonly DoubleSetting EarlyMoveAtr = new("early_move_atr", 1.0, 0, 1000, "y_early_move is 1 when MFE reaches this many ATR before MAE reaches adverse_atr.", MinExclusive: true);
        public static readonly DoubleSetting AdverseAtr = new("adverse_atr", 1.0, 0, 1000, "Adverse excursion, in ATR, that ends an early move.", MinExclusive: true);
        public static readonly DoubleSetting BarrierUpperAtr = new("barrier_upper_atr", 1.5, 0, 1000, "Triple barrier: upper barrier in ATR.", MinExclusive: true);
        public static readonly DoubleSetting BarrierLowerAtr = new("barrier_lower_atr", 1.0, 0, 1000, "Triple barrier: lower barrier in ATR.", MinExclusive: true);
        public static readonly IntSetting BarrierHorizon = new("barrier_horizon", 12, 1, 10_000, "Triple barrier: bars until the vertical barrier.");
    }

    public LabelMethod Method { get; init; } = LabelMethod.FixedHorizon;

    /// <summary>Bars after entry over which MAE / MFE and the early move are measured (<see cref="Settings.EarlyWindow"/>).</summary>
    public int EarlyWindow { get; init; } = Settings.EarlyWindow.Default;

    /// <summary>Bars ahead for the fixed-horizon direction label (<see cref="Settings.DirectionHorizon"/>).</summary>
    public int DirectionHorizon { get; init; } = Settings.DirectionHorizon.Default;

    /// <summary><c>y_early_move</c> = 1 when MFE reaches this many ATR before MAE reaches <see cref="AdverseAtr"/>.</summary>
    public double EarlyMoveAtr { get; init; } = Settings.EarlyMoveAtr.Default;

    public double AdverseAtr { get; init; } = Settings.AdverseAtr.Default;

    public double BarrierUpperAtr { get; init; } = Settings.BarrierUpperAtr.Default;
    public double BarrierLowerAtr { get; init; } = Settings.BarrierLowerAtr.Default;
    public int BarrierHorizon { get; init; } = Settings.BarrierHorizon.Default;

    /// <summary>Bars after the decision bar that any label reads.</summary>
    public int Horizon => Math.Max(EarlyWindow, Method == LabelMethod.TripleBarrier ? BarrierHorizon : DirectionHorizon);
}
