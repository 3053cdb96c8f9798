using Kairos.Artifacts;
using Kairos.Backtest;

namespace Kairos.Pipeline;

/// <summary>The backtest stage's result for one symbol: its directory (<c>backtest.json</c>, equity, report) and result. A multi-symbol run has one per symbol.</summary>
public sealed record SymbolBacktest(string Directory, BacktestResult Result)
{
    public string Symbol => Result.Symbol;

    /// <summary>The backtest read back from <paramref name="directory"/>, or null when it holds none.</summary>
    public static SymbolBacktest? TryLoad(string directory)
    {
        var file = Path.Combine(directory, BacktestArtifacts.ResultFile);
        return File.Exists(file) ? new SymbolBacktest(directory, ArtifactJson.Deserialize<BacktestResult>(File.ReadAllText(file))) : null;
    }
}
