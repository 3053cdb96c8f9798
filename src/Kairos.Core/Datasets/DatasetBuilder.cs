using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kairos.Errors;
using Kairos.Features;
using Kairos.Snapshots;
using Kairos.Artifacts;

namespace Kairos.Datasets;

/// <summary>
/// Builds a dataset directory from bars and a configuration, stage by stage: check inputs, compute
/// features / labels / eligibility per symbol with the incremental engine, plan splits with purge and
/// embargo, assert split order, fit scalers on training rows only, write the feature contract, write
/// everything to a temporary sibling directory and rename it into place.
/// </summary>
public static class DatasetBuilder
{
    public const string BuilderVersion = "kairos-dataset/1";

    public static DatasetBuildResult Build(DatasetSource source, DatasetConfig config, string outRoot, DatasetBuildOptions? options = null)
    {
        options ??= new DatasetBuildOptions();
        var stages = new Dictionary<string, double>(StringComparer.Ordinal);
        var clock = options.Time;
        var mark = clock.GetTimestamp();
        void Stage(string name)
        {
            var now = clock.GetTimestamp();
            stages[name] = clock.GetElapsedTime(mark, now).TotalSeconds;
            mark = now;
        }
        var inputs = SelectInputs(source, config);
        var configJson = JsonSerializer.SerializeToNode(config, DatasetJson.Options)!;
        var configHash = CanonicalJson.Sha256(configJson);
        string? splitFileHash = null;
        if (config.Splits.Method == SplitMethod.File)
        {
            if (!File.Exists(config.Splits.File)) throw new ConfigException("splits.file", [$"split file '{config.Splits.File}' does not exist"]);
            splitFileHash = ParquetColumns.FileSha256(config.Splits.File!);
        }
        var id = ComputeId(inputs.Select(i => i.Series.Symbol), source, configHash, splitFileHash);
        var finalDir = Path.Combine(outRoot, id);
        var engineOptions = config.EngineOptions();
        Stage("inputs");

        LookaheadReport? lookahead = null;
        if (options.CheckLookahead)
        {
            using var task = options.Progress.Start("look-ahead check", inputs.Count);
            var cutTimes = new List<long>();
            long compared = 0;
            foreach (var input in inputs)
            {
                var r = LookaheadCheck.Run(input.Series, s => FeatureEngine.Compute(s, engineOptions), options.LookaheadCuts);
                cutTimes.AddRange(r.CutTimes);
                compared += r.ValuesCompared;
                task.Advance(1);
            }
            lookahead = new LookaheadReport(engineOptions.Features.Count, cutTimes, (int)Math.Min(int.MaxValue, compared), true);
            Stage("lookahead_check");
        }

        if (File.Exists(Path.Combine(finalDir, "dataset.json")))
            return new DatasetBuildResult(finalDir, DatasetReader.Open(finalDir).Metadata, AlreadyExisted: true);

        // Features, labels and eligibility, one symbol per task.
        var snapNames = config.EffectiveSnapshotFeatures;
        var seqNames = config.EffectiveSequenceFeatures;
        var all = engineOptions.Features;
        var snapIdx = snapNames.Select(n => IndexOf(all, n)).ToArray();
        var seqIdx = seqNames.Select(n => IndexOf(all, n)).ToArray();
        var builds = new SymbolBuild[inputs.Count];
        using (var task = options.Progress.Start("features and labels", inputs.Count))
        {
            Parallel.For(0, inputs.Count, i =>
            {
                var bars = inputs[i].Series;
                var features = FeatureEngine.Compute(bars, engineOptions);
                var labels = Labeler.Compute(bars, features, config);
                var reasons = Eligibility.Evaluate(features, labels, config, snapIdx, seqIdx);
                builds[i] = new SymbolBuild { Bars = bars, Features = features, Labels = labels, Reasons = reasons, Info = inputs[i].Info };
                task.Advance(1);
            });
        }
        long seqOffset = 0;
        foreach (var b in builds)
        {
            b.Info = b.Info with
            {
                SeqRowStart = seqOffset,
                Eligible = b.Reasons.LongCount(r => r == EligibilityReason.Eligible),
                Gaps = b.Features.BarsSinceGap.Skip(1).Count(x => x == 0),
            };
            seqOffset += b.Bars.Count;
        }
        Stage("features_labels_eligibility");

        // Samples in time order (ties by symbol order).
        var samples = new List<(long Time, int Symbol, int Row)>();
        for (var s = 0; s < builds.Length; s++)
            for (var r = 0; r < builds[s].Reasons.Length; r++)
                if (builds[s].Reasons[r] == EligibilityReason.Eligible) samples.Add((builds[s].Bars.Time[r], s, r));
        samples.Sort();
        var times = samples.Select(x => x.Time).ToArray();
        var labelEnds = samples.Select(x => builds[x.Symbol].Labels.LabelEnd[x.Row]).ToArray();

        // Splits, with the order guard.
        var plan = SplitPlanner.Plan(times, config);
        var selections = new List<(string Name, string Group, SplitSelection Selection)>
        {
            ("train", "train", SplitPlanner.Select(times, labelEnds, long.MinValue, plan.ValStart, plan, false)),
            ("val", "train", SplitPlanner.Select(times, labelEnds, plan.ValStart, plan.TestStart, plan, true)),
            ("test", "train", SplitPlanner.Select(times, labelEnds, plan.TestStart, long.MaxValue, plan, true)),
        };
        foreach (var fold in plan.Folds)
        {
            selections.Add(($"{fold.Name}_train", fold.Name, SplitPlanner.Select(times, labelEnds, long.MinValue, fold.ValStart, plan, false)));
            selections.Add(($"{fold.Name}_val", fold.Name, SplitPlanner.Select(times, labelEnds, fold.ValStart, fold.ValEnd, plan, true)));
        }
        var failures = new List<string>();
        var purgeSeconds = plan.PurgeBars * plan.BarSeconds;
        void Guard(int a, int b)
        {
            var (ea, eb) = (selections[a].Selection.Rows, selections[b].Selection.Rows);
            SplitGuard.AssertOrdered(selections[a].Name, ea.Select(i => times[i]).ToArray(), ea.Select(i => labelEnds[i]).ToArray(),
                selections[b].Name, eb.Select(i => times[i]).ToArray(), purgeSeconds, failures);
        }
        Guard(0, 1);
        Guard(1, 2);
        Guard(0, 2);
        for (var k = 3; k < selections.Count; k += 2) Guard(k, k + 1);
        SplitGuard.ThrowIfAny("dataset splits", failures);
        Stage("splits");
        if (selections[0].Selection.Rows.Length == 0)
            throw new ConfigException("splits", ["the training split is empty: check the split settings and the eligibility report"]);

        // Gather per-sample columns once.
        var nS = samples.Count;
        var snap = new double[snapNames.Count][];
        for (var c = 0; c < snap.Length; c++) snap[c] = new double[nS];
        var atrBps = new double[nS];
        var spreadBps = new double[nS];
        for (var i = 0; i < nS; i++)
        {
            var (_, s, r) = samples[i];
            var f = builds[s].Features;
            for (var c = 0; c < snap.Length; c++) snap[c][i] = f.Columns[snapIdx[c]][r];
            atrBps[i] = f.AtrBps[r];
            spreadBps[i] = f.SpreadBps[r];
        }
        var seqTime = new long[seqOffset];
        var seqSymbol = new string[seqOffset];
        var seqCols = new double[seqNames.Count][];
        for (var c = 0; c < seqCols.Length; c++) seqCols[c] = new double[seqOffset];
        foreach (var b in builds)
        {
            var o = (int)b.Info.SeqRowStart;
            Array.Copy(b.Bars.Time, 0, seqTime, o, b.Bars.Count);
            Array.Fill(seqSymbol, b.Bars.Symbol, o, b.Bars.Count);
            for (var c = 0; c < seqCols.Length; c++) Array.Copy(b.Features.Columns[seqIdx[c]], 0, seqCols[c], o, b.Bars.Count);
        }

        // Scalers and buckets per training set, from training rows only.
        var contextNames = FeatureContract.ContinuousContext(config.SpreadSource);
        var scalers = new Dictionary<string, ScalerSet>(StringComparer.Ordinal);
        foreach (var (name, group, selection) in selections)
        {
            if (name != "train" && !name.EndsWith("_train", StringComparison.Ordinal)) continue;
            var rows = selection.Rows;
            var maxTrainTime = rows.Length == 0 ? long.MinValue : rows.Max(i => times[i]);
            var seqRows = Enumerable.Range(0, (int)seqOffset).Where(r => seqTime[r] <= maxTrainTime).ToArray();
            double[][] ctxCols = config.SpreadSource == SpreadSource.Absent ? [atrBps] : [atrBps, spreadBps];
            scalers[group] = new ScalerSet(
                StandardScaler.Fit(seqNames, seqCols, seqRows),
                StandardScaler.Fit(snapNames, snap, rows),
                StandardScaler.Fit(contextNames, ctxCols, rows),
                config.AtrBucketMode == BucketMode.Fixed ? config.AtrBucketThresholdsBps : Quantiles(atrBps, rows, [0.25, 0.5, 0.75]),
                config.SpreadSource == SpreadSource.Absent ? []
                    : config.SpreadBucketMode == BucketMode.Fixed ? config.SpreadBucketThresholdsBps : Quantiles(spreadBps, rows, [1 / 3.0, 2 / 3.0]),
                rows.Length);
        }
        Stage("scalers");
        var engine = new FeatureEngine(engineOptions);
        var contract = FeatureContract.Create(config, engine, scalers["train"]);
        var contractHash = FeatureContract.Hash(contract);

        // Write to a temporary sibling, then rename.
        var temp = ArtifactDirectory.CreateTemporarySibling(outRoot, id);
        try
        {
            var splitInfos = new SplitInfo[selections.Count];
            DatasetFile? sequenceFile = null;
            using (var task = options.Progress.Start("writing Parquet", selections.Count + 1))
            {
                Parallel.For(-1, selections.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) }, k =>
                {
                    if (k < 0)
                    {
                        var cols = new List<KeyValuePair<string, Array>> { new("timestamp", seqTime), new("symbol", seqSymbol) };
                        for (var c = 0; c < seqNames.Count; c++) cols.Add(new(seqNames[c], seqCols[c]));
                        var hash = ParquetColumns.Write(Path.Combine(temp, "sequence.parquet"), cols);
                        sequenceFile = new DatasetFile("sequence.parquet", seqOffset, hash);
                    }
                    else
                    {
                        var (name, group, selection) = selections[k];
                        splitInfos[k] = WriteSplit(temp, name, group, selection, samples, builds, snapNames, snap, atrBps, spreadBps,
                            times, scalers[group], config);
                    }
                    task.Advance(1);
                });
            }
            Stage("write_parquet");
            var reasons = Enum.GetValues<EligibilityReason>().Where(r => r is not (EligibilityReason.Eligible or EligibilityReason.OutOfDistribution))
                .ToDictionary(r => YamlSection.Snake(r.ToString()), r => builds.Sum(b => b.Reasons.LongCount(x => x == r)));
            var totalBars = builds.Sum(b => (long)b.Bars.Count);
            var metadata = new DatasetMetadata
            {
                Id = id,
                CreatedAt = options.Time.GetUtcNow(),
                BarSeconds = (long)config.BarSize.TotalSeconds,
                SeqLen = config.SeqLen,
                Symbols = builds.Select(b => b.Bars.Symbol).ToList(),
                SequenceFeatures = seqNames,
                SnapshotFeatures = snapNames,
                ContextCategorical = FeatureContract.CategoricalContext(config.SpreadSource),
                ContextContinuous = contextNames,
                FeatureContract = contract,
                FeatureContractHash = contractHash,
                Scalers = scalers,
                Sequence = sequenceFile!,
                Splits = splitInfos,
                SplitPlan = plan,
                Eligibility = new EligibilityReport(totalBars, nS, totalBars == 0 ? 0 : (double)nS / totalBars, reasons),
                SymbolInfo = builds.Select(b => b.Info).ToList(),
                Lineage = new DatasetLineage
                {
                    SnapshotId = source.SnapshotId,
                    SnapshotDir = source.SnapshotDir,
                    SymbolHashes = builds.ToDictionary(b => b.Bars.Symbol, b => SymbolHash(source, b.Bars.Symbol)),
                    ConfigHash = configHash,
                    ConfigFile = options.ConfigFile,
                    SplitFileHash = splitFileHash,
                    CodeVersion = options.CodeVersion,
                    BuilderVersion = BuilderVersion,
                },
                LookaheadCheck = lookahead,
                Config = configJson,
            };
            File.WriteAllText(Path.Combine(temp, "splits.json"), JsonSerializer.Serialize(plan, DatasetJson.Options));
            File.WriteAllText(Path.Combine(temp, DatasetReader.MetadataFile), JsonSerializer.Serialize(metadata, DatasetJson.Options));
            try
            {
                Directory.Move(temp, finalDir);
            }
            catch (IOException) when (File.Exists(Path.Combine(finalDir, DatasetReader.MetadataFile)))
            {
                // Built concurrently by someone else: same id, same content.
                Directory.Delete(temp, recursive: true);
                return new DatasetBuildResult(finalDir, DatasetReader.Open(finalDir).Metadata, AlreadyExisted: true);
            }
            Stage("metadata_rename");
            return new DatasetBuildResult(finalDir, metadata, AlreadyExisted: false, stages);
        }
        catch
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            throw;
        }
    }

    private static SplitInfo WriteSplit(string dir, string name, string group, SplitSelection selection,
        List<(long Time, int Symbol, int Row)> samples, SymbolBuild[] builds, IReadOnlyList<string> snapNames, double[][] snap,
        double[] atrBps, double[] spreadBps, long[] times, ScalerSet scaler, DatasetConfig config)
    {
        var rows = selection.Rows;
        var n = rows.Length;
        var timestamp = new long[n];
        var symbol = new string[n];
        var seqRow = new long[n];
        var labelEnd = new long[n];
        var session = new int[n];
        var trend = new int[n];
        var vol = new int[n];
        var atrBucket = new int[n];
        var spreadBucket = new int[n];
        var atr = new double[n];
        var spread = new double[n];
        var yDir = new int[n];
        var yEarly = new int[n];
        var yQuality = new double[n];
        var mae = new double[n];
        var mfe = new double[n];
        for (var k = 0; k < n; k++)
        {
            var i = rows[k];
            var (t, s, r) = samples[i];
            var b = builds[s];
            timestamp[k] = t;
            symbol[k] = b.Bars.Symbol;
            seqRow[k] = b.Info.SeqRowStart + r;
            labelEnd[k] = b.Labels.LabelEnd[r];
            session[k] = b.Features.SessionId[r];
            trend[k] = b.Features.TrendRegimeId[r];
            vol[k] = b.Features.VolRegimeId[r];
            atr[k] = atrBps[i];
            spread[k] = spreadBps[i];
            atrBucket[k] = ScalerSet.Bucket(atr[k], scaler.AtrBucketThresholdsBps);
            spreadBucket[k] = ScalerSet.Bucket(spread[k], scaler.SpreadBucketThresholdsBps);
            yDir[k] = b.Labels.Direction[r];
            yEarly[k] = b.Labels.EarlyMove[r];
            yQuality[k] = b.Labels.Quality[r];
            mae[k] = b.Labels.Mae[r];
            mfe[k] = b.Labels.Mfe[r];
        }
        var cols = new List<KeyValuePair<string, Array>>
        {
            new("timestamp", timestamp), new("symbol", symbol), new("seq_row", seqRow), new("label_end", labelEnd),
        };
        for (var c = 0; c < snapNames.Count; c++)
        {
            var col = new double[n];
            for (var k = 0; k < n; k++) col[k] = snap[c][rows[k]];
            cols.Add(new(snapNames[c], col));
        }
        var spreadKnown = config.SpreadSource != SpreadSource.Absent;
        cols.Add(new("session_id", session));
        cols.Add(new("trend_regime_id", trend));
        cols.Add(new("vol_regime_id", vol));
        cols.Add(new("atr_bucket", atrBucket));
        if (spreadKnown) cols.Add(new("spread_bucket", spreadBucket));
        cols.Add(new("atr_bps", atr));
        if (spreadKnown) cols.Add(new("spread_bps", spread));
        cols.Add(new("y_direction", yDir));
        cols.Add(new("y_early_move", yEarly));
        cols.Add(new("y_quality", yQuality));
        cols.Add(new("mae_atr", mae));
        cols.Add(new("mfe_atr", mfe));
        var file = name + ".parquet";
        var hash = ParquetColumns.Write(Path.Combine(dir, file), cols);
        static string Iso(long t) => DateTime.UnixEpoch.AddSeconds(t).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        return new SplitInfo
        {
            Name = name,
            File = file,
            Rows = n,
            Sha256 = hash,
            ScalerGroup = group,
            StartTime = n == 0 ? null : timestamp[0],
            EndTime = n == 0 ? null : timestamp[^1],
            StartUtc = n == 0 ? null : Iso(timestamp[0]),
            EndUtc = n == 0 ? null : Iso(timestamp[^1]),
            Purged = selection.Purged,
            Embargoed = selection.Embargoed,
            LabelBalance = new LabelBalance(
                n == 0 ? double.NaN : yDir.Average(),
                n == 0 ? double.NaN : yEarly.Average(),
                n == 0 ? double.NaN : yQuality.Average(),
                n == 0 ? double.NaN : mae.Average(),
                n == 0 ? double.NaN : mfe.Average()),
        };
    }

    private static List<(BarSeries Series, SymbolInfo Info)> SelectInputs(DatasetSource source, DatasetConfig config)
    {
        var problems = new List<string>();
        var bySymbol = source.Series.ToDictionary(s => s.Symbol, StringComparer.Ordinal);
        var symbols = config.Symbols.Count > 0 ? config.Symbols : source.Series.Select(s => s.Symbol).ToList();
        var result = new List<(BarSeries, SymbolInfo)>();
        foreach (var symbol in symbols)
        {
            if (!bySymbol.TryGetValue(symbol, out var series))
            {
                problems.Add($"symbols: '{symbol}' is not in the snapshot (it has {string.Join(", ", bySymbol.Keys)})");
                continue;
            }
            if (config.SpreadSource == SpreadSource.Column && series.Spread is null)
            {
                problems.Add($"spread.source: '{symbol}' has no spread column; set spread.source to 'constant' (with spread.constant_bps) or 'absent'");
                continue;
            }
            if (!series.HasVolume && config.Volume == VolumeSource.Column)
            {
                var snapshotUses = config.SnapshotFeatures.Where(FeatureCatalog.UsesVolume).ToList();
                var sequenceUses = config.SequenceFeatures.Where(FeatureCatalog.UsesVolume).ToList();
                if (snapshotUses.Count + sequenceUses.Count > 0)
                {
                    var detail = $"volume: '{symbol}' has no volume (its source file has no volume column) but these features read it: "
                        + string.Join(", ", snapshotUses.Concat(sequenceUses).Distinct()) + "; set 'volume: absent' to leave them out";
                    if (snapshotUses.Count > 0)
                        detail += $", or list snapshot_features: [{string.Join(", ", config.SnapshotFeatures.Where(f => !FeatureCatalog.UsesVolume(f)))}]";
                    if (sequenceUses.Count > 0)
                        detail += $"{(snapshotUses.Count > 0 ? " and" : ", or list")} sequence_features: [{string.Join(", ", config.SequenceFeatures.Where(f => !FeatureCatalog.UsesVolume(f)))}]";
                    problems.Add(detail);
                    continue;
                }
            }
            var sourceSeconds = (long)series.BarSize.TotalSeconds;
            var targetSeconds = (long)config.BarSize.TotalSeconds;
            if (sourceSeconds > targetSeconds || targetSeconds % sourceSeconds != 0)
            {
                problems.Add($"bar_size: '{symbol}' has {series.BarSize} bars, which cannot be resampled to {config.BarSize}");
                continue;
            }
            var bars = series;
            var partial = 0;
            string? from = null;
            if (sourceSeconds != targetSeconds)
            {
                var resampled = BarResampler.Resample(series, config.BarSize);
                bars = resampled.Series;
                partial = resampled.PartialBuckets;
                from = $"{series.BarSize} ({series.Count} bars){(resampled.TrailingIncomplete ? "; the still-forming last bucket was left out" : "")}";
            }
            var negative = bars.Spread?.Count(x => x < 0) ?? 0;
            result.Add((bars, new SymbolInfo
            {
                Symbol = symbol,
                SourceBars = series.Count,
                SourceBarSeconds = sourceSeconds,
                Bars = bars.Count,
                SeqRowStart = 0,
                Eligible = 0,
                NegativeSpreadBars = negative,
                ResampledFrom = from,
                PartialBuckets = partial,
            }));
        }
        if (result.Count == 0 && problems.Count == 0) problems.Add("symbols: nothing to build (the snapshot has no symbols)");
        if (problems.Count > 0) throw new ConfigException("dataset configuration", problems);
        return result;
    }

    private static string ComputeId(IEnumerable<string> symbols, DatasetSource source, string configHash, string? splitFileHash)
    {
        var node = new JsonObject
        {
            ["builder"] = BuilderVersion,
            ["snapshot_id"] = source.SnapshotId,
            ["symbols"] = new JsonArray(symbols.Select(s => (JsonNode?)new JsonObject
            {
                ["symbol"] = s,
                ["sha256"] = SymbolHash(source, s),
            }).ToArray()),
            ["config"] = configHash,
            ["split_file"] = splitFileHash,
        };
        return CanonicalJson.Sha256(node)[..16];
    }

    /// <summary>The snapshot's hash of a symbol's file, or (bars built in code) a SHA-256 of the bars themselves.</summary>
    private static string SymbolHash(DatasetSource source, string symbol)
    {
        if (source.SymbolHashes.TryGetValue(symbol, out var h) && !string.IsNullOrEmpty(h)) return h;
        var s = source.Series.First(x => x.Symbol == symbol);
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{s.Symbol}|{s.BarSize.Ticks}|{s.Count}"));
        sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(s.Time.AsSpan()));
        foreach (var col in new[] { s.Open, s.High, s.Low, s.Close, s.Volume, s.Spread ?? [] })
            sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(col.AsSpan()));
        return "bars:" + Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
            if (names[i] == name) return i;
        throw new InvalidOperationException($"feature '{name}' missing from the engine");
    }

    /// <summary>Quantiles (linear interpolation between order statistics) of values[rows].</summary>
    internal static IReadOnlyList<double> Quantiles(double[] values, int[] rows, double[] qs)
    {
        var v = rows.Select(r => values[r]).Where(double.IsFinite).ToArray();
        if (v.Length == 0) return qs.Select(_ => 0.0).ToArray();
        Array.Sort(v);
        return qs.Select(q =>
        {
            var pos = q * (v.Length - 1);
            var lo = (int)Math.Floor(pos);
            var hi = Math.Min(lo + 1, v.Length - 1);
            return v[lo] + (v[hi] - v[lo]) * (pos - lo);
        }).ToArray();
    }
}
