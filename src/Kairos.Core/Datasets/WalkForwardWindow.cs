namespace Kairos.Datasets;

/// <summary>
/// One walk-forward window (1-based <see cref="Index"/>): training in [<see cref="TrainStart"/>, <see cref="ValStart"/>),
/// validation tail in [<see cref="ValStart"/>, <see cref="TestStart"/>), test in [<see cref="TestStart"/>,
/// <see cref="TestEnd"/>) (UTC; the dataset builder purges and embargoes at each boundary). Its dataset is built from the
/// bars [<see cref="FirstBar"/>, <see cref="EndBar"/>) of the series: the training window, the test window and the label
/// horizon after it (so the test window's last rows get labels, and no later row does).
/// </summary>
public sealed record WalkForwardWindow(int Index, DateTime TrainStart, DateTime ValStart, DateTime TestStart, DateTime TestEnd, int FirstBar, int EndBar)
{
    public string Name => $"window_{Index:D2}";
}
