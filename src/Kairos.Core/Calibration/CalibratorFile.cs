using System.Globalization;
using System.Text.Json.Nodes;
using Kairos.Errors;

namespace Kairos.Calibration;

/// <summary>
/// JSON form of one calibrator (<c>format: "kairos.calibrator"</c>) with <c>format_version</c> and
/// <c>min_reader_version</c>: a reader refuses a file whose <c>min_reader_version</c> exceeds
/// <see cref="ReaderVersion"/>. Doubles are written round-trip exact.
/// </summary>
public static class CalibratorFile
{
    public const string Format = "kairos.calibrator";

    /// <summary>Version this code writes.</summary>
    public const int FormatVersion = 1;

    /// <summary>Newest <c>min_reader_version</c> this code can read.</summary>
    public const int ReaderVersion = 1;

    /// <summary>Oldest <c>format_version</c> this code still reads.</summary>
    public const int OldestReadableVersion = 1;

    public static void Save(ICalibrator calibrator, string path) =>
        VersionedJson.Write(path, Format, FormatVersion, minReaderVersion: 1, ToJson(calibrator));

    public static ICalibrator Load(string path)
    {
        var doc = VersionedJson.Read(path, Format, ReaderVersion, OldestReadableVersion);
        return FromJson(doc, path);
    }

    /// <summary>The method-specific body: <c>method</c>, counts and parameters.</summary>
    internal static JsonObject ToJson(ICalibrator calibrator)
    {
        var body = new JsonObject
        {
            ["method"] = MethodName(calibrator.Method),
            ["n_samples"] = calibrator.SampleCount,
            ["n_positive"] = calibrator.PositiveCount,
        };
        switch (calibrator)
        {
            case PlattCalibrator platt:
                body["a"] = platt.A;
                body["b"] = platt.B;
                body["formula"] = "p = 1 / (1 + exp(a * score + b))";
                break;
            case IsotonicCalibrator iso:
                body["thresholds"] = new JsonArray([.. iso.Thresholds.Select(v => (JsonNode)JsonValue.Create(v))]);
                body["values"] = new JsonArray([.. iso.Values.Select(v => (JsonNode)JsonValue.Create(v))]);
                break;
            default:
                throw new ArgumentException($"unknown calibrator type {calibrator.GetType().Name}.");
        }
        return body;
    }

    internal static ICalibrator FromJson(JsonObject body, string path)
    {
        var method = VersionedJson.String(body, "method", path);
        var n = VersionedJson.Int(body, "n_samples", path);
        var positives = VersionedJson.Int(body, "n_positive", path);
        try
        {
            return ParseMethod(method, path) switch
            {
                CalibrationMethod.Platt => new PlattCalibrator(
                    VersionedJson.Double(body, "a", path), VersionedJson.Double(body, "b", path), n, positives),
                _ => new IsotonicCalibrator(
                    VersionedJson.Doubles(body, "thresholds", path), VersionedJson.Doubles(body, "values", path), n, positives),
            };
        }
        catch (ArgumentException e)
        {
            throw new DataException(path, "calibrator-invalid", e.Message, e);
        }
    }

    public static string MethodName(CalibrationMethod method) => method switch
    {
        CalibrationMethod.Platt => "platt",
        CalibrationMethod.Isotonic => "isotonic",
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    /// <summary>Parses <c>platt</c> or <c>isotonic</c> (case-insensitive).</summary>
    public static CalibrationMethod ParseMethod(string text, string source) =>
        text.ToLowerInvariant() switch
        {
            "platt" or "sigmoid" => CalibrationMethod.Platt,
            "isotonic" => CalibrationMethod.Isotonic,
            _ => throw new DataException(source, "calibration-method",
                string.Create(CultureInfo.InvariantCulture, $"unknown calibration method '{text}'; expected 'platt' or 'isotonic'.")),
        };
}
