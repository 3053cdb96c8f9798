namespace Kairos.Evaluation;

/// <summary>Which labelled rows count as true events.</summary>
public enum TrueEventRule
{
    /// <summary>Every row with label 1.</summary>
    LabelBars,

    /// <summary>Only the first row of each run of label-1 rows.</summary>
    LabelOnsets,
}
