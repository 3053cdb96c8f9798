using System.Text.Json.Nodes;
using Kairos.Errors;

namespace Kairos.Calibration;

/// <summary>
/// One calibrator per (session, bucket), saved as one JSON file (<c>format: "kairos.calibrator_set"</c>).
/// Lookup is strict: a missing (session, bucket) throws <see cref="MissingCalibratorException"/> naming both
/// and the file searched. There is no fallback to another session, a global calibrator or the raw score.
/// </summary>
public sealed class SessionCalibratorSet
{
    public const string Format = "kairos.calibrator_set";
    public const int FormatVersion = 1;
    public const int ReaderVersion = 1;
    public const int OldestReadableVersion = 1;

    /// <summary>Bucket used when calibrators are per session only.</summary>
    public const string AllBuckets = "all";

    /// <summary>Session name used when the data carries no session (one calibrator for everything).</summary>
    public const string AllSessions = "ALL";

    private readonly Dictionary<(string Session, string Bucket), ICalibrator> _calibrators;

    public SessionCalibratorSet(CalibrationMethod method, IReadOnlyDictionary<(string Session, string Bucket), ICalibrator> calibrators, string source)
    {
        foreach (var ((session, bucket), calibrator) in calibrators)
        {
            if (string.IsNullOrWhiteSpace(session) || string.IsNullOrWhiteSpace(bucket))
                throw new ArgumentException("session and bucket names must be non-empty.");
            if (calibrator.Method != method)
                throw new ArgumentException($"calibrator for session '{session}', bucket '{bucket}' is {calibrator.Method}, the set is {method}.");
        }
        Method = method;
        Source = source;
        _calibrators = new Dictionary<(string, string), ICalibrator>(calibrators);
    }

    public CalibrationMethod Method { get; }

    /// <summary>Where the set came from (the file loaded, or a description when fitted in memory).</summary>
    public string Source { get; }

    /// <summary>Keys in a stable order (session, then bucket, ordinal).</summary>
    public IReadOnlyList<(string Session, string Bucket)> Keys =>
        [.. _calibrators.Keys.OrderBy(k => k.Session, StringComparer.Ordinal).ThenBy(k => k.Bucket, StringComparer.Ordinal)];

    public bool Contains(string session, string bucket = AllBuckets) => _calibrators.ContainsKey((session, bucket));

    /// <summary>The calibrator of (session, bucket), or a <see cref="MissingCalibratorException"/>.</summary>
    public ICalibrator Get(string session, string bucket = AllBuckets) =>
        _calibrators.TryGetValue((session, bucket), out var calibrator)
            ? calibrator
            : throw new MissingCalibratorException(session, bucket, Source, [.. Keys.Select(k => $"{k.Session}/{k.Bucket}")]);

    /// <summary>Fails on the first (session, bucket) in <paramref name="sessions"/> that has no calibrator, before any work is done.</summary>
    public void Require(IEnumerable<string> sessions, string bucket = AllBuckets)
    {
        foreach (var session in sessions.Distinct().Order(StringComparer.Ordinal))
            Get(session, bucket);
    }

    /// <summary>Calibrates each score with the calibrator of its session.</summary>
    public void Apply(ReadOnlySpan<double> scores, IReadOnlyList<string> sessions, Span<double> output, string bucket = AllBuckets)
    {
        if (scores.Length != sessions.Count || scores.Length != output.Length)
            throw new ArgumentException($"scores ({scores.Length}), sessions ({sessions.Count}) and output ({output.Length}) differ in length.");
        Require(sessions, bucket);
        for (var i = 0; i < scores.Length; i++)
            output[i] = _calibrators[(sessions[i], bucket)].Apply(scores[i]);
    }

    /// <summary>Fits one calibrator per distinct session (all in <paramref name="bucket"/>).</summary>
    public static SessionCalibratorSet Fit(
        CalibrationMethod method, ReadOnlySpan<double> scores, ReadOnlySpan<int> labels, IReadOnlyList<string> sessions, string bucket = AllBuckets)
    {
        if (scores.Length != labels.Length || scores.Length != sessions.Count)
            throw new ArgumentException($"scores ({scores.Length}), labels ({labels.Length}) and sessions ({sessions.Count}) differ in length.");
        var rows = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < sessions.Count; i++)
        {
            if (!rows.TryGetValue(sessions[i], out var list))
                rows[sessions[i]] = list = [];
            list.Add(i);
        }
        var calibrators = new Dictionary<(string, string), ICalibrator>();
        foreach (var (session, indices) in rows.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var s = new double[indices.Count];
            var y = new int[indices.Count];
            for (var j = 0; j < indices.Count; j++)
            {
                s[j] = scores[indices[j]];
                y[j] = labels[indices[j]];
            }
            try
            {
                calibrators[(session, bucket)] = CalibratorTrainer.Fit(method, s, y);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"session '{session}', bucket '{bucket}': {e.Message}", e);
            }
        }
        return new SessionCalibratorSet(method, calibrators, "fitted in memory");
    }

    public void Save(string path)
    {
        var entries = new JsonArray();
        foreach (var (session, bucket) in Keys)
            entries.Add(VersionedJson.Append(new JsonObject { ["session"] = session, ["bucket"] = bucket }, CalibratorFile.ToJson(_calibrators[(session, bucket)])));
        VersionedJson.Write(path, Format, FormatVersion, minReaderVersion: 1,
            new JsonObject { ["method"] = CalibratorFile.MethodName(Method), ["entries"] = entries });
    }

    public static SessionCalibratorSet Load(string path)
    {
        var full = Path.GetFullPath(path);
        var doc = VersionedJson.Read(full, Format, ReaderVersion, OldestReadableVersion);
        var method = CalibratorFile.ParseMethod(VersionedJson.String(doc, "method", full), full);
        var calibrators = new Dictionary<(string, string), ICalibrator>();
        var entries = VersionedJson.Array(doc, "entries", full);
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i] is not JsonObject entry)
                throw new DataException(full, null, $"entries[{i}]", "field-type", "each entry must be an object.");
            var key = (VersionedJson.String(entry, "session", full), VersionedJson.String(entry, "bucket", full));
            var calibrator = CalibratorFile.FromJson(entry, full);
            if (calibrator.Method != method)
                throw new DataException(full, null, $"entries[{i}].method", "method-mismatch",
                    $"entry is {CalibratorFile.MethodName(calibrator.Method)}, the set is {CalibratorFile.MethodName(method)}.");
            if (!calibrators.TryAdd(key, calibrator))
                throw new DataException(full, null, $"entries[{i}]", "duplicate-calibrator",
                    $"session '{key.Item1}', bucket '{key.Item2}' appears twice.");
        }
        return new SessionCalibratorSet(method, calibrators, full);
    }
}
