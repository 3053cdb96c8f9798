namespace Kairos.Evaluation;

/// <summary>One model of a <see cref="ModelComparison"/>.</summary>
/// <param name="Name">The model's name (for example its family: hybrid, tft, lstm).</param>
/// <param name="Source">The predictions file.</param>
/// <param name="RocAuc">ROC-AUC (null with one class).</param>
/// <param name="LogLoss">Mean log loss.</param>
/// <param name="Brier">Brier score.</param>
/// <param name="Ece">Expected calibration error.</param>
/// <param name="VersusChosen">This model minus the chosen one, with paired bootstrap intervals (null for the chosen model).</param>
public sealed record ModelComparisonEntry(string Name, string Source, double? RocAuc, double LogLoss, double Brier, double Ece, ModelComparisonDelta? VersusChosen);
