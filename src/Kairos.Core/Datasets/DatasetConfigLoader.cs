using System.Globalization;
using Kairos.Errors;
using Kairos.Features;
using YamlDotNet.RepresentationModel;

namespace Kairos.Datasets;

/// <summary>
/// Reads and validates the dataset YAML (docs/config.md). Unknown keys and invalid values are errors,
/// all reported together in one <see cref="ConfigException"/>.
/// </summary>
public static class DatasetConfigLoader
{
    public static DatasetConfig LoadFile(string path)
    {
        if (!File.Exists(path)) throw new ConfigException(path, ["file not found"]);
        return Parse(File.ReadAllText(path), path);
    }

    public static DatasetConfig Parse(string yaml, string source = "<config>")
    {
        var problems = new List<string>();
        var rootNode = YamlSection.ParseDocument(yaml, source, "settings");
        var config = Read(rootNode, "", problems);
        if (problems.Count > 0) throw new ConfigException(source, problems);
        return config;
    }

    /// <summary>
    /// Reads the dataset settings of one YAML mapping (a whole file, or a section of another config at
    /// <paramref name="path"/>), adding every problem to <paramref name="problems"/> with its line.
    /// </summary>
    public static DatasetConfig Read(YamlMappingNode? rootNode, string path, List<string> problems)
    {
        var firstProblem = problems.Count;
        var root = new YamlSection(rootNode, path, problems);
        var d = new DatasetConfig();

        var symbols = root.StringList("symbols") ?? d.Symbols;
        var pooled = root.Bool("pooled", d.Pooled);
        foreach (var dup in symbols.GroupBy(x => x, StringComparer.Ordinal).Where(g => g.Count() > 1))
            problems.Add($"symbols: '{dup.Key}' is listed {dup.Count()} times");
        var barSize = ParseBarSize(root.Scalar("bar_size"), d.BarSize, problems);

        var sessionsSection = root.Section("sessions");
        var sessions = new SessionTable(
            sessionsSection.Double(SessionTable.Settings.AsiaStart),
            sessionsSection.Double(SessionTable.Settings.EuStart),
            sessionsSection.Double(SessionTable.Settings.OverlapStart),
            sessionsSection.Double(SessionTable.Settings.UsStart));
        sessionsSection.ReportUnknownKeys();
        double[] starts = [sessions.AsiaStart, sessions.EuStart, sessions.OverlapStart, sessions.UsStart];
        var total = 0.0;
        for (var i = 0; i < 4; i++)
        {
            var length = ((starts[(i + 1) % 4] - starts[i]) % 24 + 24) % 24;
            if (length == 0) problems.Add($"sessions: {SessionTable.Names[i]} is empty (its start equals the next session's start)");
            total += length;
        }
        if (Math.Abs(total - 24) > 1e-9)
            problems.Add("sessions: starts must follow ASIA, EU, OVERLAP, US around the clock so that the sessions cover the day exactly once");

        var blocked = root.StringList("blocked_sessions") ?? d.BlockedSessions;
        foreach (var b in blocked)
            if (SessionTable.IdOf(b) < 0) problems.Add($"blocked_sessions: '{b}' is not a session (ASIA, EU, OVERLAP, US)");

        var spread = root.Section("spread");
        var spreadSource = spread.Enum("source", d.SpreadSource);
        var spreadConstant = spread.Double(DatasetConfig.Settings.SpreadConstantBps);
        var hardCap = spread.Double(DatasetConfig.Settings.SpreadHardCapBps);
        spread.ReportUnknownKeys();
        if (spreadSource == SpreadSource.Constant && spreadConstant == 0 && spread.Scalar("constant_bps") is null)
            problems.Add("spread.constant_bps: required when spread.source is 'constant' (state the spread you assume, even 0)");

        var volume = root.Enum("volume", d.Volume);

        var kill = root.Section("kill_switch");
        var maxGap = kill.Double(DatasetConfig.Settings.KillSwitchMaxGapMinutes);
        var cooldown = kill.Int(DatasetConfig.Settings.KillSwitchCooldownBars);
        kill.ReportUnknownKeys();

        var warmup = root.Int(DatasetConfig.Settings.WarmupBars);

        var vol = root.Section("vol_regime");
        var volAtr = vol.Int(DatasetConfig.Settings.VolAtrPeriod);
        var volWindow = vol.Int(DatasetConfig.Settings.VolWindow);
        var volMin = vol.Int(DatasetConfig.Settings.VolMinPeriods);
        var volThresholds = vol.DoubleList("thresholds") ?? d.VolThresholds;
        var blockExtreme = vol.Bool("block_extreme", d.BlockExtremeVol);
        vol.ReportUnknownKeys();
        if (volMin > volWindow) problems.Add($"vol_regime.min_periods: {volMin} exceeds vol_regime.window {volWindow}");
        if (volThresholds.Count != 3 || !StrictlyIncreasing(volThresholds) || volThresholds[0] <= 0 || volThresholds[2] >= 1)
            problems.Add("vol_regime.thresholds: expected 3 increasing percentiles in (0, 1) separating LOW, MEDIUM, HIGH, EXTREME");

        var trend = root.Section("trend_regime");
        var trendEma = trend.Int(DatasetConfig.Settings.TrendEmaPeriod);
        var trendThreshold = trend.Double(DatasetConfig.Settings.TrendThreshold);
        trend.ReportUnknownKeys();

        var atrBucket = root.Section("atr_bucket");
        var atrMode = atrBucket.Enum("mode", d.AtrBucketMode);
        var atrThresholds = atrBucket.DoubleList("thresholds_bps") ?? d.AtrBucketThresholdsBps;
        atrBucket.ReportUnknownKeys();
        if (atrMode == BucketMode.Fixed && (atrThresholds.Count != 3 || !StrictlyIncreasing(atrThresholds)))
            problems.Add("atr_bucket.thresholds_bps: mode 'fixed' needs 3 increasing thresholds (4 buckets)");
        if (atrMode == BucketMode.TrainQuantiles && atrThresholds.Count > 0)
            problems.Add("atr_bucket.thresholds_bps: only allowed with mode 'fixed' (train_quantiles fits them on the training rows)");

        var spreadBucket = root.Section("spread_bucket");
        var spreadMode = spreadBucket.Enum("mode", d.SpreadBucketMode);
        var spreadThresholds = spreadBucket.DoubleList("thresholds_bps") ?? (spreadMode == BucketMode.Fixed ? d.SpreadBucketThresholdsBps : []);
        spreadBucket.ReportUnknownKeys();
        if (spreadMode == BucketMode.Fixed && (spreadThresholds.Count != 2 || !StrictlyIncreasing(spreadThresholds)))
            problems.Add("spread_bucket.thresholds_bps: mode 'fixed' needs 2 increasing thresholds (3 buckets)");
        if (spreadMode == BucketMode.TrainQuantiles && spreadThresholds.Count > 0)
            problems.Add("spread_bucket.thresholds_bps: only allowed with mode 'fixed'");

        var seqLen = root.Int(DatasetConfig.Settings.SeqLen);
        var seqFeatures = root.StringList("sequence_features") ?? d.SequenceFeatures;
        var snapFeatures = root.StringList("snapshot_features") ?? d.SnapshotFeatures;
        CheckFeatures("sequence_features", seqFeatures, problems);
        CheckFeatures("snapshot_features", snapFeatures, problems);
        if (spreadSource == SpreadSource.Absent && root.StringList("snapshot_features") is { } explicitSnap && explicitSnap.Any(FeatureCatalog.UsesSpread))
            problems.Add("snapshot_features: lists spread features but spread.source is 'absent'");
        if (volume == VolumeSource.Absent)
            foreach (var (key, explicitList) in new[] { ("snapshot_features", root.StringList("snapshot_features")), ("sequence_features", root.StringList("sequence_features")) })
                if (explicitList?.Where(FeatureCatalog.UsesVolume).ToList() is { Count: > 0 } listed)
                    problems.Add($"{key}: lists volume features ({string.Join(", ", listed)}) but volume is 'absent'");

        var labels = root.Section("labels");
        var dl = d.Labels;
        var labelOptions = new LabelOptions
        {
            Method = labels.Enum("method", dl.Method),
            EarlyWindow = labels.Int(LabelOptions.Settings.EarlyWindow),
            DirectionHorizon = labels.Int(LabelOptions.Settings.DirectionHorizon),
            EarlyMoveAtr = labels.Double(LabelOptions.Settings.EarlyMoveAtr),
            AdverseAtr = labels.Double(LabelOptions.Settings.AdverseAtr),
            BarrierUpperAtr = labels.Double(LabelOptions.Settings.BarrierUpperAtr),
            BarrierLowerAtr = labels.Double(LabelOptions.Settings.BarrierLowerAtr),
            BarrierHorizon = labels.Int(LabelOptions.Settings.BarrierHorizon),
        };
        labels.ReportUnknownKeys();

        var costs = root.Section("costs");
        var commission = costs.Double(DatasetConfig.Settings.CommissionBps);
        var slippage = costs.Double(DatasetConfig.Settings.SlippageBps);
        costs.ReportUnknownKeys();

        var splits = root.Section("splits");
        var ds = d.Splits;
        var splitOptions = new SplitOptions
        {
            Method = splits.Enum("method", ds.Method),
            Train = splits.Double(SplitOptions.Settings.Train),
            Val = splits.Double(SplitOptions.Settings.Val),
            Test = splits.Double(SplitOptions.Settings.Test),
            ValStart = splits.Date("val_start"),
            TestStart = splits.Date("test_start"),
            File = splits.Scalar("file"),
            PurgeBars = splits.OptionalInt("purge_bars", 0, 100_000),
            EmbargoBars = splits.Int(SplitOptions.Settings.EmbargoBars),
            Folds = splits.Int(SplitOptions.Settings.Folds),
        };
        splits.ReportUnknownKeys();
        if (splitOptions.Method == SplitMethod.Fractions && Math.Abs(splitOptions.Train + splitOptions.Val + splitOptions.Test - 1) > 1e-9)
            problems.Add($"splits: train + val + test must be 1, got {(splitOptions.Train + splitOptions.Val + splitOptions.Test).ToString(CultureInfo.InvariantCulture)}");
        if (splitOptions.Method == SplitMethod.Dates)
        {
            if (splitOptions.ValStart is null || splitOptions.TestStart is null)
                problems.Add("splits: method 'dates' needs val_start and test_start");
            else if (splitOptions.ValStart >= splitOptions.TestStart)
                problems.Add("splits: val_start must be before test_start");
        }
        if (splitOptions.Method == SplitMethod.File && string.IsNullOrWhiteSpace(splitOptions.File))
            problems.Add("splits.file: method 'file' needs the path of a split file");
        if (splitOptions.PurgeBars is { } purge && purge < labelOptions.Horizon)
            problems.Add($"splits.purge_bars: {purge} is shorter than the label horizon ({labelOptions.Horizon} bars); labels of the last training rows would overlap the next split");
        if (splitOptions.Folds == 1) problems.Add("splits.folds: use 0 (no folds) or at least 2");

        root.ReportUnknownKeys();
        // Rules across keys name their keys without the section; inside another config they get its path too.
        for (var i = firstProblem; path.Length > 0 && i < problems.Count; i++)
            if (!problems[i].StartsWith(path + ".", StringComparison.Ordinal)) problems[i] = path + "." + problems[i];
        return new DatasetConfig
        {
            Symbols = symbols,
            Pooled = pooled,
            BarSize = barSize,
            Sessions = sessions,
            BlockedSessions = blocked.Select(b => b.ToUpperInvariant()).ToList(),
            SpreadSource = spreadSource,
            SpreadConstantBps = spreadConstant,
            SpreadHardCapBps = hardCap,
            Volume = volume,
            KillSwitchMaxGapMinutes = maxGap,
            KillSwitchCooldownBars = cooldown,
            WarmupBars = warmup,
            VolAtrPeriod = volAtr,
            VolWindow = volWindow,
            VolMinPeriods = volMin,
            VolThresholds = volThresholds,
            BlockExtremeVol = blockExtreme,
            TrendEmaPeriod = trendEma,
            TrendThreshold = trendThreshold,
            AtrBucketMode = atrMode,
            AtrBucketThresholdsBps = atrThresholds,
            SpreadBucketMode = spreadMode,
            SpreadBucketThresholdsBps = spreadThresholds,
            SeqLen = seqLen,
            SequenceFeatures = seqFeatures,
            SnapshotFeatures = snapFeatures,
            Labels = labelOptions,
            CommissionBps = commission,
            SlippageBps = slippage,
            Splits = splitOptions,
        };
    }

    private static void CheckFeatures(string key, IReadOnlyList<string> names, List<string> problems)
    {
        if (names.Count == 0) problems.Add($"{key}: must list at least one feature");
        foreach (var n in names)
            if (FeatureCatalog.Validate(n) is { } error) problems.Add($"{key}: {error}");
        foreach (var dup in names.GroupBy(n => n).Where(g => g.Count() > 1))
            problems.Add($"{key}: '{dup.Key}' is listed {dup.Count()} times");
    }

    private static bool StrictlyIncreasing(IReadOnlyList<double> values)
    {
        for (var i = 1; i < values.Count; i++)
            if (!(values[i] > values[i - 1])) return false;
        return true;
    }

    internal static TimeSpan ParseBarSize(string? text, TimeSpan fallback, List<string> problems)
    {
        if (text is null) return fallback;
        var t = text.Trim().ToUpperInvariant();
        int value;
        if (t.Length >= 2 && (t[0] == 'M' || t[0] == 'H') && int.TryParse(t[1..], NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0)
            return t[0] == 'M' ? TimeSpan.FromMinutes(value) : TimeSpan.FromHours(value);
        if (t.EndsWith('M') && int.TryParse(t[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0)
            return TimeSpan.FromMinutes(value);
        problems.Add($"bar_size: '{text}' is not a bar size (M1, M5, M15, H1, or minutes such as 5m)");
        return fallback;
    }
}
