using System.Text.Json.Nodes;
using Kairos.Datasets;
using Kairos.Errors;
using Kairos.Progress;
using Kairos.Search;
using Kairos.Threading;
using Kairos.Trees;

namespace Kairos.Tests.Trees;

/// <summary>
/// <c>kairos train gbdt</c> with the features read from the split files in chunks (<see cref="GbdtRunOptions.FeatureChunkRows"/>
/// smaller than every split, so LightGBM's datasets, the out-of-fold, calibration and split predictions and the search's
/// held-out scoring all go chunk by chunk and the enriched copy is written column by column from the source files) against
/// the same run with every split in memory as feature matrices: the same artifact id, the same model text and calibrators
/// byte for byte, the same search, metrics and enriched split files.
/// </summary>
public sealed class GbdtChunkedRunTests : IClassFixture<GbdtChunkedRunTests.Ran>
{
    /// <summary>Rows per chunk: below every split's row count of the real dataset, and not a divisor of any.</summary>
    private const int ChunkRows = 997;

    public sealed class Ran
    {
        public Ran()
        {
            var meta = DatasetReader.Open(RealDataset.Path).Metadata;
            Assert.All(meta.Splits, s => Assert.True(s.Rows > ChunkRows, $"split {s.Name} has {s.Rows} rows: the chunks would not cut it"));
            Memory = Execute(0);
            Chunked = Execute(ChunkRows);
        }

        public GbdtRunReport Memory { get; }
        public GbdtRunReport Chunked { get; }

        private static GbdtRunReport Execute(int chunkRows)
        {
            var output = TestData.TempDirectory("kairos-trees-chunked");
            return GbdtRun.Execute(new GbdtRunOptions
            {
                Dataset = RealDataset.Path,
                Out = output,
                EnrichedOut = Path.Combine(output, "datasets"),
                BootstrapResamples = 50,
                Stage = GbdtStageTests.FastOptions with { Folds = 3 },
                Search = new GbdtSearchOptions { Trials = 3, Seed = 4, Overfit = new GbdtOverfitOptions { Blocks = 4 } },
                FeatureChunkRows = chunkRows,
                // One thread in both runs: `auto` decides by the cores free when each run starts, and gbdt.json records it.
                Threads = ThreadSetting.Fixed(1),
            }, TimeProvider.System, NullProgressSink.Instance);
        }
    }

    private readonly Ran _ran;

    public GbdtChunkedRunTests(Ran ran) => _ran = ran;

    [Fact]
    public void Execute_Chunked_SameArtifactIdModelTextAndCalibratorsAsInMemory()
    {
        var memory = _ran.Memory;
        var chunked = _ran.Chunked;

        Assert.False(chunked.Reused);
        Assert.Equal(memory.Metadata.Id, chunked.Metadata.Id);
        var files = Files(memory.ArtifactDirectory);
        Assert.Contains(files, f => f.EndsWith(".txt", StringComparison.Ordinal) && f.Contains("fold", StringComparison.Ordinal));
        Assert.Equal(files, Files(chunked.ArtifactDirectory));
        foreach (var file in files.Where(f => f != GbdtArtifactMetadata.FileName))
            Assert.True(File.ReadAllBytes(Path.Combine(memory.ArtifactDirectory, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(chunked.ArtifactDirectory, file))),
                $"{file} differs between the in-memory and the chunked run");
        var a = JsonNode.Parse(File.ReadAllText(Path.Combine(memory.ArtifactDirectory, GbdtArtifactMetadata.FileName)))!.AsObject();
        var b = JsonNode.Parse(File.ReadAllText(Path.Combine(chunked.ArtifactDirectory, GbdtArtifactMetadata.FileName)))!.AsObject();
        foreach (var key in new[] { "options", "groups", "importance", "metrics", "search_check", "feature_names", "categorical_features" })
            Assert.True(JsonNode.DeepEquals(a[key], b[key]), $"gbdt.json '{key}' differs:\n{a[key]}\n{b[key]}");
        var (searchA, searchB) = (a["search"]!.AsObject(), b["search"]!.AsObject());
        foreach (var key in new[] { "best", "best_value", "best_trial", "complete", "pruned", "best_held_out_auc", "median_trial", "median_value" })
            Assert.True(JsonNode.DeepEquals(searchA[key], searchB[key]), $"gbdt.json search '{key}' differs:\n{searchA[key]}\n{searchB[key]}");
    }

    [Fact]
    public void Execute_Chunked_EnrichedSplitFilesByteIdenticalToInMemory()
    {
        var memory = DatasetReader.Open(_ran.Memory.EnrichedDatasetDirectory);
        var chunked = DatasetReader.Open(_ran.Chunked.EnrichedDatasetDirectory);

        Assert.Equal(memory.Metadata.Id, chunked.Metadata.Id);
        Assert.Equal(memory.SplitNames, chunked.SplitNames);
        foreach (var split in memory.Metadata.Splits)
        {
            var other = chunked.Metadata.Split(split.Name);
            Assert.Equal(split.Sha256, other.Sha256);
            Assert.Equal(split.Sha256, ParquetColumns.FileSha256(Path.Combine(chunked.Directory, other.File)));
        }
        Assert.Equal(File.ReadAllText(Path.Combine(memory.Directory, EnrichedDatasetWriter.SignalsFile)),
            File.ReadAllText(Path.Combine(chunked.Directory, EnrichedDatasetWriter.SignalsFile)));
    }

    [Fact]
    public void WriteStreaming_SeveralWriterChunks_ByteIdenticalToTheColumnsWrittenAtOnce()
    {
        // More rows than one writer chunk (65,536) and not a multiple of it, every column type a split file may hold.
        const int rows = 140_001;
        var random = new Random(7);
        var dir = TestData.TempDirectory("kairos-enriched-streaming");
        var source = Path.Combine(dir, "source.parquet");
        List<KeyValuePair<string, Array>> columns =
        [
            new("timestamp", Enumerable.Range(0, rows).Select(i => 1_700_000_000L + 60L * i).ToArray()),
            new("symbol", Enumerable.Range(0, rows).Select(i => i % 3 == 0 ? "EURUSD" : "XAUUSD").ToArray()),
            new("session_id", Enumerable.Range(0, rows).Select(i => i % 4).ToArray()),
            new("ret_1", Enumerable.Range(0, rows).Select(_ => random.NextDouble() - 0.5).ToArray()),
            new("f32", Enumerable.Range(0, rows).Select(_ => (float)random.NextDouble()).ToArray()),
        ];
        ParquetColumns.Write(source, columns);
        var margins = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, rows).Select(_ => random.NextDouble() * 4 - 2).ToArray()).ToArray();
        var signals = TreeSignals.Compute(margins, new Kairos.Calibration.PlattCalibrator(1.1, -0.2, 100, 50));

        var streamed = EnrichedDatasetWriter.WriteStreaming(source, Path.Combine(dir, "streamed.parquet"), signals);
        var atOnce = ParquetColumns.Write(Path.Combine(dir, "at-once.parquet"), [.. columns, .. TreeSignals.ColumnNames.Select((n, c) => new KeyValuePair<string, Array>(n, signals.Columns[c]))]);

        Assert.Equal(atOnce, streamed);
        var shortSignals = TreeSignals.Compute(margins.Select(m => m[..^1]).ToArray(), new Kairos.Calibration.PlattCalibrator(1, 0, 100, 50));
        var e = Assert.Throws<DataException>(() => EnrichedDatasetWriter.WriteStreaming(source, Path.Combine(dir, "short.parquet"), shortSignals));
        Assert.Contains("signal-rows", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FeatureRowSubset_RowsNotAscending_Throws()
    {
        var matrix = new FeatureMatrix([1, 2, 3, 4, 5, 6], 3, ["a", "b"]);
        var subset = new FeatureRowSubset(matrix, [0, 2]);
        Assert.Equal([1f, 2f, 5f, 6f], subset.Chunks(1).SelectMany(c => c.Values.ToArray()));
        Assert.Throws<ArgumentException>(() => new FeatureRowSubset(matrix, [2, 0]));
        Assert.Throws<ArgumentException>(() => new FeatureRowSubset(matrix, [1, 1]));
        Assert.Throws<ArgumentException>(() => new FeatureRowSubset(matrix, [3]));
    }

    [Fact]
    public void FeatureRowFile_WrittenFromChunks_ReadsTheSameFloatsAndLeavesNoFile()
    {
        const int rows = 2_503;
        var random = new Random(11);
        var values = Enumerable.Range(0, rows * 3).Select(i => i % 7 == 0 ? float.NaN : (float)(random.NextDouble() * 200 - 100)).ToArray();
        var matrix = new FeatureMatrix(values, rows, ["a", "b", "c"]);
        var source = new FeatureRowSubset(matrix, Enumerable.Range(0, rows).Where(i => i % 5 != 3).ToArray());
        var dir = TestData.TempDirectory("kairos-feature-row-file");

        using (var file = FeatureRowFile.Write(source, dir))
        {
            Assert.Empty(Directory.GetFiles(dir));
            Assert.Equal(source.Rows, file.Rows);
            Assert.Equal(source.FeatureNames, file.FeatureNames);
            var expected = source.Chunks(1_000).SelectMany(c => c.Values.ToArray()).ToArray();
            foreach (var chunk in new[] { 1, 333, 5_000 })
            {
                var read = file.Chunks(chunk).ToList();
                Assert.Equal(Enumerable.Range(0, read.Count).Select(k => k * chunk), read.Select(c => c.Start));
                Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), file.Chunks(chunk).SelectMany(c => c.Values.ToArray()).Select(BitConverter.SingleToInt32Bits));
            }
            file.Dispose();
            Assert.Throws<ObjectDisposedException>(() => file.Chunks(10).First());
        }
        Assert.Empty(Directory.GetFiles(dir));
    }

    private static List<string> Files(string directory) =>
        Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(directory, f)).Order(StringComparer.Ordinal).ToList();
}
