using System.Text.Json.Nodes;
using Kairos.Calibration;
using Kairos.Errors;

namespace Kairos.Tests.Calibration;

public class SessionCalibratorSetTests
{
    private static readonly double[] Scores = [0.1, 0.4, 0.6, 0.9, 0.2, 0.3, 0.7, 0.8];
    private static readonly int[] Labels = [0, 0, 1, 1, 0, 1, 0, 1];
    private static readonly string[] Sessions = ["EU", "EU", "EU", "EU", "US", "US", "US", "US"];

    [Fact]
    public void Fit_TwoSessions_FitsEachOnItsOwnRows()
    {
        var set = SessionCalibratorSet.Fit(CalibrationMethod.Platt, Scores, Labels, Sessions);

        var eu = (PlattCalibrator)set.Get("EU");
        var alone = PlattCalibrator.Fit([0.1, 0.4, 0.6, 0.9], [0, 0, 1, 1]);
        Assert.Equal(alone.A, eu.A, 1e-12);
        Assert.Equal(alone.B, eu.B, 1e-12);
        Assert.Equal([("EU", "all"), ("US", "all")], set.Keys);
    }

    [Fact]
    public void Get_MissingSession_ThrowsNamingSessionBucketAndPath()
    {
        var dir = TestData.TempDirectory();
        var path = Path.Combine(dir, "calibrators.json");
        SessionCalibratorSet.Fit(CalibrationMethod.Isotonic, Scores, Labels, Sessions).Save(path);
        var loaded = SessionCalibratorSet.Load(path);

        var e = Assert.Throws<MissingCalibratorException>(() => loaded.Get("ASIA"));

        Assert.Equal("ASIA", e.Session);
        Assert.Equal("all", e.Bucket);
        Assert.Equal(Path.GetFullPath(path), e.SearchedPath);
        Assert.Contains("ASIA", e.Message);
        Assert.Contains(Path.GetFullPath(path), e.Message);
        Assert.Contains("EU/all", e.Message);
    }

    [Fact]
    public void Apply_OneRowOfMissingSession_ThrowsBeforeWritingAnything()
    {
        var set = SessionCalibratorSet.Fit(CalibrationMethod.Platt, Scores, Labels, Sessions);
        var output = new double[3];

        Assert.Throws<MissingCalibratorException>(() => set.Apply([0.5, 0.5, 0.5], ["EU", "OVERLAP", "US"], output));
        Assert.Equal([0.0, 0.0, 0.0], output);
    }

    [Fact]
    public void SaveLoad_RoundTrip_GivesIdenticalOutputs()
    {
        var dir = TestData.TempDirectory();
        foreach (var method in new[] { CalibrationMethod.Platt, CalibrationMethod.Isotonic })
        {
            var path = Path.Combine(dir, $"{method}.json");
            var set = SessionCalibratorSet.Fit(method, Scores, Labels, Sessions);
            set.Save(path);
            var loaded = SessionCalibratorSet.Load(path);

            Assert.Equal(method, loaded.Method);
            foreach (var session in new[] { "EU", "US" })
                for (var s = 0.0; s <= 1.0; s += 0.05)
                    Assert.Equal(set.Get(session).Apply(s), loaded.Get(session).Apply(s));
        }
        Assert.Empty(Directory.GetFiles(dir, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Save_HeaderMethodEntries_EachEntrySessionBucketThenTheCalibrator()
    {
        var path = Path.Combine(TestData.TempDirectory(), "set.json");

        SessionCalibratorSet.Fit(CalibrationMethod.Isotonic, Scores, Labels, Sessions).Save(path);
        var doc = JsonNode.Parse(File.ReadAllText(path))!.AsObject();

        Assert.Equal(["format", "format_version", "min_reader_version", "method", "entries"], doc.Select(p => p.Key));
        Assert.Equal((SessionCalibratorSet.Format, "isotonic"), ((string)doc["format"]!, (string)doc["method"]!));
        var entries = doc["entries"]!.AsArray();
        Assert.Equal(["EU", "US"], entries.Select(e => (string)e!["session"]!));
        Assert.All(entries, e => Assert.Equal(["session", "bucket", "method", "n_samples", "n_positive", "thresholds", "values"], e!.AsObject().Select(p => p.Key)));
    }

    [Fact]
    public void Load_NewerMinReaderVersion_ThrowsFormatTooNew()
    {
        var path = Path.Combine(TestData.TempDirectory(), "set.json");
        SessionCalibratorSet.Fit(CalibrationMethod.Platt, Scores, Labels, Sessions).Save(path);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"min_reader_version\": 1", "\"min_reader_version\": 99"));

        var e = Assert.Throws<DataException>(() => SessionCalibratorSet.Load(path));
        Assert.Equal(Kairos.Artifacts.ArtifactVersion.TooNewCode, e.Rule);
    }

    [Fact]
    public void Load_SingleCalibratorFile_ThrowsFormatMismatch()
    {
        var path = Path.Combine(TestData.TempDirectory(), "one.json");
        CalibratorFile.Save(PlattCalibrator.Fit(Scores, Labels), path);

        var e = Assert.Throws<DataException>(() => SessionCalibratorSet.Load(path));
        Assert.Equal("format-mismatch", e.Rule);
    }
}
