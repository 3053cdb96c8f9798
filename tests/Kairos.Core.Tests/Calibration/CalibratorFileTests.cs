using System.Text.Json.Nodes;
using Kairos.Calibration;
using Kairos.Errors;

namespace Kairos.Tests.Calibration;

public class CalibratorFileTests
{
    [Fact]
    public void SaveLoad_Platt_RoundTripsExactly()
    {
        var path = Path.Combine(TestData.TempDirectory(), "platt.json");
        var platt = new PlattCalibrator(-13.034853939252615, 6.5954650106055155, 1900, 957);

        CalibratorFile.Save(platt, path);
        var loaded = Assert.IsType<PlattCalibrator>(CalibratorFile.Load(path));

        Assert.Equal(platt.A, loaded.A);
        Assert.Equal(platt.B, loaded.B);
        Assert.Equal(1900, loaded.SampleCount);
        Assert.Equal(957, loaded.PositiveCount);
        Assert.Contains("\"format_version\": 1", File.ReadAllText(path));
    }

    [Fact]
    public void Save_Platt_HeaderThenTheCalibratorsFieldsInTheirOrder()
    {
        var path = Path.Combine(TestData.TempDirectory(), "platt.json");

        CalibratorFile.Save(new PlattCalibrator(-2.5, 1.25, 40, 17), path);
        var text = File.ReadAllText(path);
        var doc = JsonNode.Parse(text)!.AsObject();

        Assert.Equal(["format", "format_version", "min_reader_version", "method", "n_samples", "n_positive", "a", "b", "formula"], doc.Select(p => p.Key));
        Assert.Equal((CalibratorFile.Format, 1, 1, "platt", -2.5), ((string)doc["format"]!, (int)doc["format_version"]!, (int)doc["min_reader_version"]!, (string)doc["method"]!, (double)doc["a"]!));
        Assert.EndsWith("}\n", text);
        Assert.Contains("\n  \"format\": ", text);
    }

    [Fact]
    public void SaveLoad_Isotonic_RoundTripsExactly()
    {
        var path = Path.Combine(TestData.TempDirectory(), "iso.json");
        var iso = IsotonicCalibrator.Fit([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [0, 1, 0, 1, 1, 1]);

        CalibratorFile.Save(iso, path);
        var loaded = Assert.IsType<IsotonicCalibrator>(CalibratorFile.Load(path));

        Assert.Equal(iso.Thresholds, loaded.Thresholds);
        Assert.Equal(iso.Values, loaded.Values);
    }

    [Fact]
    public void Load_MissingField_NamesField()
    {
        var path = Path.Combine(TestData.TempDirectory(), "bad.json");
        File.WriteAllText(path, """{"format":"kairos.calibrator","format_version":1,"min_reader_version":1,"method":"platt","n_samples":2,"n_positive":1,"a":1}""");

        var e = Assert.Throws<DataException>(() => CalibratorFile.Load(path));
        Assert.Equal("b", e.Column);
        Assert.Equal("field-missing", e.Rule);
    }

    [Fact]
    public void Load_UnknownMethod_Throws()
    {
        var path = Path.Combine(TestData.TempDirectory(), "bad.json");
        File.WriteAllText(path, """{"format":"kairos.calibrator","format_version":1,"min_reader_version":1,"method":"beta","n_samples":2,"n_positive":1}""");

        var e = Assert.Throws<DataException>(() => CalibratorFile.Load(path));
        Assert.Equal("calibration-method", e.Rule);
    }
}
