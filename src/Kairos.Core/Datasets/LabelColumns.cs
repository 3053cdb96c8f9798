namespace Kairos.Datasets;

/// <summary>Labels of every bar of one symbol (NaN / -1 where no label exists).</summary>
internal sealed class LabelColumns(int rows)
{
    public int[] Direction { get; } = new int[rows];
    public int[] EarlyMove { get; } = new int[rows];
    public double[] Quality { get; } = new double[rows];
    public double[] Mae { get; } = new double[rows];
    public double[] Mfe { get; } = new double[rows];

    /// <summary>Open time of the last bar any label of this row reads.</summary>
    public long[] LabelEnd { get; } = new long[rows];

    /// <summary>True when the label window is complete and gap-free.</summary>
    public bool[] Available { get; } = new bool[rows];

    /// <summary>True when the row has enough future bars but they cross a gap.</summary>
    public bool[] CrossesGap { get; } = new bool[rows];
}
