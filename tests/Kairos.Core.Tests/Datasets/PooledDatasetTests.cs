using System.Text.Json.Nodes;
using Kairos.Bundles;
using Kairos.Datasets;
using Kairos.Errors;
using Kairos.Replay;
using Kairos.Snapshots;

namespace Kairos.Tests.Datasets;

/// <summary>Pooled multi-symbol datasets on real bars of three brokers (<see cref="PooledRealData"/>).</summary>
public class PooledDatasetTests
{
    private static readonly Lazy<DatasetBuildResult> Pooled = new(() => PooledRealData.Build());

    [Fact]
    public void Build_PooledRealEurusdGbpusdXauusd_SymbolIdFromTheOrdinalVocabularyInEverySplit()
    {
        var m = Pooled.Value.Metadata;
        var reader = DatasetReader.Open(Pooled.Value.Directory);

        Assert.Equal(["XAUUSD", "EURUSD", "GBPUSD"], m.Symbols);
        Assert.Equal(["EURUSD", "GBPUSD", "XAUUSD"], m.SymbolVocabulary);
        Assert.Equal("symbol_id", m.ContextCategorical[^1]);
        Assert.Equal(6, m.ContextCategorical.Count);
        var entry = m.FeatureContract["context_categorical"]!.AsArray().Single(n => n!["name"]!.GetValue<string>() == "symbol_id")!;
        Assert.Equal(3, entry["cardinality"]!.GetValue<int>());
        Assert.Equal(m.SymbolVocabulary, entry["values"]!.AsArray().Select(v => v!.GetValue<string>()));
        var written = JsonNode.Parse(File.ReadAllText(Path.Combine(Pooled.Value.Directory, DatasetReader.MetadataFile)))!;
        Assert.Equal(m.SymbolVocabulary, written["symbol_vocabulary"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.True(written["config"]!["pooled"]!.GetValue<bool>());
        foreach (var split in m.Splits)
        {
            var data = reader.ReadSplit(split.Name);
            var ids = data.Int("symbol_id");
            for (var i = 0; i < data.Rows; i++) Assert.Equal(m.SymbolId(data.Symbol[i]), ids[i]);
            // The model input carries it too, as the last categorical context column.
            var categorical = reader.BuildContextCategorical(data);
            for (var i = 0; i < data.Rows; i++) Assert.Equal(ids[i], categorical[i * 6 + 5]);
        }
        var train = reader.ReadSplit("train");
        Assert.Equal(3, train.Int("symbol_id").Distinct().Count());
    }

    [Fact]
    public void Build_PooledRealData_OneSetOfCutTimesForEverySymbol()
    {
        var m = Pooled.Value.Metadata;
        var reader = DatasetReader.Open(Pooled.Value.Directory);
        var plan = m.SplitPlan;

        var train = reader.ReadSplit("train");
        var val = reader.ReadSplit("val");
        var test = reader.ReadSplit("test");
        Assert.All(train.Timestamp, t => Assert.True(t < plan.ValStart));
        Assert.All(val.Timestamp, t => Assert.InRange(t, plan.ValStart, plan.TestStart - 1));
        Assert.All(test.Timestamp, t => Assert.True(t >= plan.TestStart));
        // Both 2025 symbols are cut at the same instants; GBPUSD's February 2012 lies wholly before them: training only.
        foreach (var symbol in new[] { "EURUSD", "XAUUSD" })
        {
            Assert.Contains(symbol, val.Symbol);
            Assert.Contains(symbol, test.Symbol);
        }
        Assert.Contains("GBPUSD", train.Symbol);
        Assert.DoesNotContain("GBPUSD", val.Symbol);
        Assert.DoesNotContain("GBPUSD", test.Symbol);
        Assert.Equal(m.Eligibility.Eligible, m.SymbolInfo.Sum(s => s.Eligible));
    }

    [Fact]
    public void Build_SymbolsListedInAnotherOrder_SameVocabularyAndSameIdsPerRow()
    {
        var other = PooledRealData.Build(c => c.Replace("symbols: [XAUUSD, EURUSD, GBPUSD]", "symbols: [GBPUSD, XAUUSD, EURUSD]", StringComparison.Ordinal));

        Assert.Equal(Pooled.Value.Metadata.SymbolVocabulary, other.Metadata.SymbolVocabulary);
        var a = DatasetReader.Open(Pooled.Value.Directory).ReadSplit("test");
        var b = DatasetReader.Open(other.Directory).ReadSplit("test");
        Assert.Equal(a.Timestamp, b.Timestamp);
        Assert.Equal(a.Symbol, b.Symbol);
        Assert.Equal(a.Int("symbol_id"), b.Int("symbol_id"));
        Assert.Equal(a.Double("ret_12"), b.Double("ret_12"));
    }

    [Fact]
    public void Build_SameSymbolsNotPooled_NoSymbolIdAndNothingNewWritten()
    {
        var plain = PooledRealData.Build(c => c.Replace("pooled: true\n", "", StringComparison.Ordinal));
        Assert.Null(plain.Metadata.Config["pooled"]);

        var m = plain.Metadata;
        Assert.Null(m.SymbolVocabulary);
        Assert.Equal(["session_id", "trend_regime_id", "vol_regime_id", "atr_bucket", "spread_bucket"], m.ContextCategorical);
        Assert.False(DatasetReader.Open(plain.Directory).ReadSplit("train").Has("symbol_id"));
        // Without pooling neither the configuration nor dataset.json gains a key: their hashes, hence the ids, stay as before.
        var text = File.ReadAllText(Path.Combine(plain.Directory, DatasetReader.MetadataFile));
        Assert.DoesNotContain("symbol_vocabulary", text, StringComparison.Ordinal);
        Assert.DoesNotContain("pooled", text, StringComparison.Ordinal);
        Assert.DoesNotContain("symbol_id", text, StringComparison.Ordinal);
        Assert.NotEqual(Pooled.Value.Metadata.FeatureContractHash, m.FeatureContractHash);
        Assert.NotEqual(Pooled.Value.Metadata.Id, m.Id);
    }

    [Fact]
    public void Build_OneSymbolAtATimeOrAllAtOnce_SameIdAndByteIdenticalFiles()
    {
        var sequential = PooledRealData.Build(options: new DatasetBuildOptions { ParallelSymbols = 1 });
        var parallel = PooledRealData.Build(options: new DatasetBuildOptions { ParallelSymbols = 3 });

        Assert.Equal(sequential.Metadata.Id, parallel.Metadata.Id);
        PooledRealData.AssertSameFiles(sequential.Directory, parallel.Directory);
    }

    [Fact]
    public void Build_FromPartsComputedOneSymbolAtATime_ByteIdenticalToTheOneProcessBuild()
    {
        var config = DatasetConfigLoader.Parse(PooledRealData.Config);
        var parts = Path.Combine(TestData.TempDirectory("kairos-parts"), "parts");
        foreach (var series in PooledRealData.Source().Series)
        {
            // What a worker holds: one symbol's bars (and every symbol's hash).
            var one = new DatasetSource([series], new Dictionary<string, string>());
            Assert.True(DatasetBuilder.BuildPart(one, config, series.Symbol, parts));
            Assert.False(DatasetBuilder.BuildPart(one, config, series.Symbol, parts));
        }

        var merged = DatasetBuilder.Build(PooledRealData.Source(), config, TestData.TempDirectory("kairos-merged"), new DatasetBuildOptions { Parts = parts });

        PooledRealData.AssertSameFiles(Pooled.Value.Directory, merged.Directory);
        Assert.Equal(["EURUSD", "GBPUSD", "XAUUSD"], Directory.GetDirectories(parts).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        // The merge leaves the workers' parts whole (its own spills it deletes column by column as they are written).
        Assert.All(Directory.GetDirectories(parts), part => Assert.Equal(config.EngineOptions().Features.Count, Directory.GetFiles(Path.Combine(part, "spill")).Length));
        Assert.DoesNotContain(Directory.GetDirectories(Path.GetDirectoryName(merged.Directory)!), d => Path.GetFileName(d).StartsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void RunningFeatureContract_PooledDataset_RebuildsTheStoredContractWithItsVocabulary()
    {
        var datasetJson = File.ReadAllText(Path.Combine(Pooled.Value.Directory, DatasetReader.MetadataFile));
        var contract = JsonNode.Parse(datasetJson)!["feature_contract"]!.ToJsonString();

        Assert.Equal(Pooled.Value.Metadata.FeatureContractHash, RunningFeatureContract.Instance.RuntimeHashFor(contract, datasetJson));
        // Without its vocabulary the pooled contract cannot be rebuilt: refused, naming the field.
        var stripped = JsonNode.Parse(datasetJson)!.AsObject();
        stripped.Remove("symbol_vocabulary");
        var e = Assert.Throws<DataException>(() => RunningFeatureContract.Instance.RuntimeHashFor(contract, stripped.ToJsonString()));
        Assert.Equal("symbol_vocabulary", e.Rule);
    }

    [Fact]
    public void Parse_SymbolListedTwice_RefusedNamingIt()
    {
        var e = Assert.Throws<ConfigException>(() => DatasetConfigLoader.Parse("pooled: true\nsymbols: [EURUSD, GBPUSD, EURUSD]"));

        Assert.Contains(e.Problems, p => p.Contains("symbols: 'EURUSD' is listed 2 times", StringComparison.Ordinal));
    }

    [Fact]
    public void FeatureStream_PooledDataset_SymbolIdEqualsTheDatasetColumnBarByBar()
    {
        var m = Pooled.Value.Metadata;
        var reader = DatasetReader.Open(Pooled.Value.Directory);
        var source = PooledRealData.Source();
        foreach (var symbol in new[] { "EURUSD", "XAUUSD" })
        {
            var bars = source.Series.Single(s => s.Symbol == symbol);
            var expected = new Dictionary<long, int[]>();
            foreach (var name in new[] { "val", "test" })
            {
                var split = reader.ReadSplit(name);
                var categorical = reader.BuildContextCategorical(split);
                for (var i = 0; i < split.Rows; i++)
                    if (split.Symbol[i] == symbol) expected[split.Timestamp[i]] = categorical[(i * 6)..(i * 6 + 6)];
            }
            var stream = FeatureStream.FromDataset(m, Pooled.Value.Directory);
            Assert.Equal(m.ContextCategorical, stream.CategoricalNames);
            stream.BindSymbol(symbol);
            var row = new int[6];
            var compared = 0;
            for (var r = 0; r < bars.Count; r++)
            {
                stream.Update(Bar.At(bars, r));
                if (!expected.TryGetValue(bars.Time[r], out var want)) continue;
                Assert.Equal(EligibilityReason.Eligible, stream.Reason);
                stream.CopyContextCategorical(row);
                Assert.Equal(want, row);
                compared++;
            }
            Assert.Equal(expected.Count, compared);
            Assert.True(compared > 1000, $"{symbol}: {compared} bars compared");
        }
    }

    [Fact]
    public void FeatureStream_PooledDatasetAndASymbolOutsideItsVocabulary_RefusedNamingTheSymbol()
    {
        var m = Pooled.Value.Metadata;
        var stream = FeatureStream.FromDataset(m, Pooled.Value.Directory);

        var e = Assert.Throws<DataException>(() => stream.BindSymbol("USDJPY"));

        Assert.Equal("symbol-unknown", e.Rule);
        Assert.Contains("'USDJPY'", e.Message, StringComparison.Ordinal);
        Assert.Contains("EURUSD, GBPUSD, XAUUSD", e.Message, StringComparison.Ordinal);
        // Streaming without naming the symbol is a programming error, not a guess.
        var bars = PooledRealData.Source().Series[0];
        Assert.Throws<InvalidOperationException>(() => stream.Update(Bar.At(bars, 0)));
        stream.BindSymbol("EURUSD");
        stream.Update(Bar.At(bars, 0));
        Assert.Throws<InvalidOperationException>(() => stream.BindSymbol("XAUUSD"));
    }
}
