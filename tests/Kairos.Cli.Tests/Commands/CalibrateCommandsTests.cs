using System.Globalization;
using System.Text.Json;
using Kairos.Calibration;

namespace Kairos.Tests.Commands;

public class CalibrateCommandsTests
{
    private static string WriteCsv(string dir, string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private const string PerSession =
        "y_true,y_prob,session\n0,0.1,EU\n0,0.4,EU\n1,0.6,EU\n1,0.9,EU\n0,0.2,US\n1,0.3,US\n0,0.7,US\n1,0.8,US\n";

    [Fact]
    public void Fit_PerSessionCsv_WritesSetMatchingLibraryFit()
    {
        var dir = TestData.TempDirectory();
        var csv = WriteCsv(dir, "p.csv", PerSession);
        var output = Path.Combine(dir, "cal.json");

        var result = KairosCli.Run("calibrate", "fit", "--predictions", csv, "--method", "platt", "--out", output, "--json");

        Assert.Equal(0, result.ExitCode);
        var set = SessionCalibratorSet.Load(output);
        var eu = (PlattCalibrator)set.Get("EU");
        var expected = PlattCalibrator.Fit([0.1, 0.4, 0.6, 0.9], [0, 0, 1, 1]);
        Assert.Equal(expected.A, eu.A, 1e-12);
        using var doc = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(2, doc.RootElement.GetProperty("calibrators").GetArrayLength());
    }

    [Fact]
    public void Apply_FittedSet_WritesCalibratedColumnAndRawColumn()
    {
        var dir = TestData.TempDirectory();
        var csv = WriteCsv(dir, "p.csv", PerSession);
        var cal = Path.Combine(dir, "cal.json");
        var output = Path.Combine(dir, "out.csv");
        Assert.Equal(0, KairosCli.Run("calibrate", "fit", "--predictions", csv, "--method", "isotonic", "--out", cal).ExitCode);

        var result = KairosCli.Run("calibrate", "apply", "--calibrators", cal, "--predictions", csv, "--out", output);

        Assert.Equal(0, result.ExitCode);
        var lines = File.ReadAllLines(output);
        Assert.Equal("y_true,y_prob,session,y_prob_raw", lines[0]);
        var set = SessionCalibratorSet.Load(cal);
        var cells = lines[3].Split(',');
        Assert.Equal(set.Get("EU").Apply(0.6), double.Parse(cells[1], CultureInfo.InvariantCulture));
        Assert.Equal("0.6", cells[3]);
    }

    [Fact]
    public void Apply_SessionWithoutCalibrator_ExitsTwoNamingSessionAndPath()
    {
        var dir = TestData.TempDirectory();
        var cal = Path.Combine(dir, "cal.json");
        Assert.Equal(0, KairosCli.Run("calibrate", "fit", "--predictions", WriteCsv(dir, "p.csv", PerSession), "--method", "platt", "--out", cal).ExitCode);
        var live = WriteCsv(dir, "live.csv", "y_prob,session\n0.5,EU\n0.5,ASIA\n");
        var output = Path.Combine(dir, "out.csv");

        var result = KairosCli.Run("calibrate", "apply", "--calibrators", cal, "--predictions", live, "--out", output);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("session 'ASIA'", result.StandardError);
        Assert.Contains("bucket 'all'", result.StandardError);
        Assert.Contains(cal, result.StandardError);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Fit_BadLabel_ExitsTwoNamingFileLineColumnRule()
    {
        var dir = TestData.TempDirectory();
        var csv = WriteCsv(dir, "bad.csv", "y_true,y_prob\n0,0.1\n1,0.9\n2,0.5\n");
        var output = Path.Combine(dir, "cal.json");

        var result = KairosCli.Run("calibrate", "fit", "--predictions", csv, "--method", "platt", "--out", output);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{csv}:4 column 'y_true': [label-binary]", result.StandardError);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Fit_MissingProbabilityColumn_ExitsTwo()
    {
        var dir = TestData.TempDirectory();
        var csv = WriteCsv(dir, "bad.csv", "y_true,score\n0,0.1\n");

        var result = KairosCli.Run("calibrate", "fit", "--predictions", csv, "--method", "platt", "--out", Path.Combine(dir, "c.json"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("[column-missing]", result.StandardError);
        Assert.Contains("y_prob", result.StandardError);
    }

    [Fact]
    public void Fit_SingleClassSession_ExitsTwo()
    {
        var dir = TestData.TempDirectory();
        var csv = WriteCsv(dir, "one.csv", "y_true,y_prob,session\n0,0.1,EU\n1,0.9,EU\n1,0.5,US\n1,0.7,US\n");

        var result = KairosCli.Run("calibrate", "fit", "--predictions", csv, "--method", "isotonic", "--out", Path.Combine(dir, "c.json"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("[single-class]", result.StandardError);
        Assert.Contains("session 'US'", result.StandardError);
    }

    [Fact]
    public void Fit_UnknownMethod_ExitsOne()
    {
        var dir = TestData.TempDirectory();
        var result = KairosCli.Run("calibrate", "fit", "--predictions", WriteCsv(dir, "p.csv", PerSession), "--method", "beta", "--out", Path.Combine(dir, "c.json"));

        Assert.Equal(1, result.ExitCode);
    }
}
