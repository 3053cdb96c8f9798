using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Kairos.Datasets;
using Kairos.Tests.Deep;
using Kairos.Trees;
using Microsoft.Win32.SafeHandles;
using Xunit.Abstractions;

namespace Kairos.Tests.Interop;

/// <summary>
/// Issue 21, interop table: the trees' model files of a real trees artifact (<c>models/&lt;group&gt;/final_m*.txt</c>, listed in
/// <c>gbdt.json</c>) open in the official LightGBM library through its own C API (<c>LGBM_BoosterCreateFromModelfile</c>,
/// <c>LGBM_BoosterPredictForMat</c> of the NuGet package's native <c>lib_lightgbm</c>, declared here, not Kairos's
/// wrapper) and give, on every row of the real EURUSD test split, the raw scores Kairos's own predictor gives and the
/// margin the trees stage wrote into the enriched dataset.
/// </summary>
[Collection(HybridBundleCollection.Name)]
public class LightGbmInteropTests(HybridBundlePipeline pipeline, ITestOutputHelper output)
{
    [Fact]
    public void ModelFiles_OpenInLightGbmCApi_PredictKairosRawScoresAndMarginsOnTheRealTestSplit()
    {
        var gbdt = JsonNode.Parse(File.ReadAllText(Path.Combine(pipeline.Trees, "gbdt.json")))!;
        var names = gbdt["feature_names"]!.AsArray().Select(n => (string)n!).ToArray();
        var split = DatasetReader.Open(pipeline.Dataset).ReadSplit("test");
        var sessionIds = split.Int("session_id");
        var margin = split.Double("margin");
        var checkedRows = 0;
        foreach (var group in gbdt["groups"]!.AsArray())
        {
            var sessions = group!["sessions"]!.AsArray().Select(s => Kairos.Features.SessionTable.IdOf((string)s!)).ToHashSet();
            var rows = Enumerable.Range(0, split.Rows).Where(i => sessions.Contains(sessionIds[i])).ToArray();
            var matrix = new float[rows.Length * names.Length];
            for (var c = 0; c < names.Length; c++)
            {
                var column = Column(split, names[c]);
                for (var r = 0; r < rows.Length; r++) matrix[r * names.Length + c] = (float)column[rows[r]];
            }
            var members = group["final"]!.AsArray().Select(m => Path.Combine(pipeline.Trees, (string)m!["file"]!)).ToArray();
            var sum = new double[rows.Length];
            foreach (var file in members)
            {
                using var booster = Booster.FromModelFile(file, out var iterations);
                Assert.True(iterations > 0, $"{file}: {iterations} iterations");
                Assert.Equal(names.Length, booster.FeatureCount());
                var lightGbm = booster.PredictRaw(matrix, rows.Length, names.Length);

                using var kairos = LightGbmBooster.Load(File.ReadAllText(file));
                var own = kairos.PredictRaw(new FeatureMatrix(matrix, rows.Length, names));
                Assert.Equal(own.Length, lightGbm.Length);
                for (var r = 0; r < rows.Length; r++)
                {
                    Assert.True(own[r] == lightGbm[r], $"{Path.GetFileName(file)} row {rows[r]}: LightGBM {lightGbm[r]:R}, Kairos {own[r]:R}");
                    sum[r] += lightGbm[r];
                }
            }
            // The trees stage's margin: the members' mean raw score, written into the enriched test split.
            var maxDiff = 0.0;
            for (var r = 0; r < rows.Length; r++) maxDiff = Math.Max(maxDiff, Math.Abs(sum[r] / members.Length - margin[rows[r]]));
            Assert.True(maxDiff <= 1e-12, $"group {(string)group["name"]!}: max |LightGBM mean raw score - dataset margin| {maxDiff:E2}");
            output.WriteLine($"group {(string)group["name"]!}: {members.Length} members, {rows.Length} rows, max |margin difference| {maxDiff:E2}");
            checkedRows += rows.Length;
        }
        Assert.Equal(split.Rows, checkedRows);
    }

    /// <summary>A split column as doubles (features are doubles; the categorical context columns are ints).</summary>
    private static double[] Column(DatasetSplit split, string name) =>
        split.Columns.Single(c => c.Key == name).Value switch
        {
            double[] d => d,
            int[] i => i.Select(v => (double)v).ToArray(),
            long[] l => l.Select(v => (double)v).ToArray(),
            float[] f => f.Select(v => (double)v).ToArray(),
            var other => throw new InvalidOperationException($"column {name} is {other.GetType().Name}"),
        };

    /// <summary>A LightGBM booster handle of the C API, freed with <c>LGBM_BoosterFree</c>.</summary>
    private sealed class Booster : SafeHandleZeroOrMinusOneIsInvalid
    {
        private const string Library = "lib_lightgbm";
        private const int DTypeFloat32 = 0;
        private const int PredictRawScore = 1;

        public Booster() : base(ownsHandle: true)
        {
        }

        public static Booster FromModelFile(string path, out int iterations)
        {
            Check(LGBM_BoosterCreateFromModelfile(path, out iterations, out var booster), path);
            return booster;
        }

        public int FeatureCount()
        {
            Check(LGBM_BoosterGetNumFeature(this, out var count), "LGBM_BoosterGetNumFeature");
            return count;
        }

        public double[] PredictRaw(float[] rowMajor, int rows, int columns)
        {
            var result = new double[rows];
            Check(LGBM_BoosterPredictForMat(this, rowMajor, DTypeFloat32, rows, columns, 1, PredictRawScore, 0, -1, "", out var length, result), "LGBM_BoosterPredictForMat");
            Assert.Equal(rows, length);
            return result;
        }

        protected override bool ReleaseHandle() => LGBM_BoosterFree(handle) == 0;

        private static void Check(int code, string what)
        {
            if (code != 0) throw new InvalidOperationException($"LightGBM {what}: {Marshal.PtrToStringUTF8(LGBM_GetLastError())}");
        }

        [DllImport(Library)]
        private static extern nint LGBM_GetLastError();

        [DllImport(Library)]
        private static extern int LGBM_BoosterCreateFromModelfile([MarshalAs(UnmanagedType.LPUTF8Str)] string filename, out int numIterations, out Booster handle);

        [DllImport(Library)]
        private static extern int LGBM_BoosterGetNumFeature(Booster handle, out int count);

        [DllImport(Library)]
        private static extern int LGBM_BoosterPredictForMat(Booster handle, float[] data, int dataType, int nrow, int ncol, int isRowMajor, int predictType,
            int startIteration, int numIteration, [MarshalAs(UnmanagedType.LPUTF8Str)] string parameter, out long outLength, [Out] double[] result);

        [DllImport(Library)]
        private static extern int LGBM_BoosterFree(nint handle);
    }
}
