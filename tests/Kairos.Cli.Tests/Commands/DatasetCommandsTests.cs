using System.Text.Json;

namespace Kairos.Tests.Commands;

public class DatasetCommandsTests
{
    private static string Snapshot(string root)
    {
        var r = KairosCli.Run("snapshot", "create", "--input", TestData.File("BTCUSDT_5m_2025_bybit-perp.csv"), "--symbol", "BTCUSDT", "--out", root, "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.StandardOutput);
        return doc.RootElement.GetProperty("directory").GetString()!;
    }

    [Fact]
    public void Build_CryptoWithConstantSpread_WritesDatasetAndInspectShowsIt()
    {
        var dir = TestData.TempDirectory();
        var snapshot = Snapshot(Path.Combine(dir, "snap"));
        var config = Path.Combine(dir, "ds.yaml");
        File.WriteAllText(config, "spread: {source: constant, constant_bps: 1.0}\nblocked_sessions: []\n");

        var build = KairosCli.Run("dataset", "build", "--snapshot", snapshot, "--config", config, "--out", Path.Combine(dir, "ds"), "--json");

        Assert.True(build.ExitCode == 0, build.StandardError);
        using var doc = JsonDocument.Parse(build.StandardOutput);
        var datasetDir = doc.RootElement.GetProperty("directory").GetString()!;
        Assert.Matches("^[0-9a-f]{16}$", doc.RootElement.GetProperty("feature_contract_hash").GetString()!);
        Assert.True(doc.RootElement.GetProperty("eligibility").GetProperty("eligible").GetInt64() > 15_000);
        Assert.Equal(0, doc.RootElement.GetProperty("eligibility").GetProperty("by_reason").GetProperty("blocked_session").GetInt64());

        var inspect = KairosCli.Run("dataset", "inspect", datasetDir);
        Assert.Equal(0, inspect.ExitCode);
        Assert.Contains("label balance", inspect.StandardOutput);
        Assert.Contains("BTCUSDT", inspect.StandardOutput);
        var json = KairosCli.Run("dataset", "inspect", datasetDir, "--json");
        using var meta = JsonDocument.Parse(json.StandardOutput);
        Assert.Equal("constant", meta.RootElement.GetProperty("feature_contract").GetProperty("spread").GetProperty("source").GetString());
    }

    [Fact]
    public void Build_BadConfig_ExitsTwoListingEveryProblemAndWritesNothing()
    {
        var dir = TestData.TempDirectory();
        var config = Path.Combine(dir, "bad.yaml");
        File.WriteAllText(config, "seq_len: 0\nsplits: {folds: 1}\nlabelz: {}\n");
        var output = Path.Combine(dir, "ds");

        var r = KairosCli.Run("dataset", "build", "--snapshot", Path.Combine(dir, "none"), "--config", config, "--out", output);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("seq_len", r.StandardError);
        Assert.Contains("splits.folds", r.StandardError);
        Assert.Contains("labelz", r.StandardError);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Inspect_NotADataset_ExitsTwo()
    {
        var r = KairosCli.Run("dataset", "inspect", TestData.TempDirectory());
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("dataset-missing", r.StandardError);
    }
}
