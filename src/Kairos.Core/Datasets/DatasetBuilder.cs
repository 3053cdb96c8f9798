using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kairos.Artifacts;
using Kairos.Errors;
using Kairos.Features;
using Kairos.Snapshots;

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
        var vocabulary = config.Pooled ? FeatureContract.SymbolVocabulary(inputs.Select(i => i.Series.Symbol)) : null;
        var (configJson, configHash, splitFileHash) = Hashes(config);
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

        var snapNames = config.EffectiveSnapshotFeatures;
        var seqNames = config.EffectiveSequenceFeatures;
        var all = engineOptions.Features;
        var snapIdx = snapNames.Select(n => IndexOf(all, n)).ToArray();
        var seqIdx = seqNames.Select(n => IndexOf(all, n)).ToArray();
        var temp = ArtifactDirectory.CreateTemporarySibling(outRoot, id);
        var builds = new SymbolBuild[inputs.Count];
        try
        {
            // Features (streamed to a spill on disk), labels and eligibility, one symbol per task.
            using (var task = options.Progress.Start("features and labels", inputs.Count))
            {
                ArgumentOutOfRangeException.ThrowIfNegative(options.ParallelSymbols);
                var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.ParallelSymbols == 0 ? Environment.ProcessorCount : options.ParallelSymbols };
                Parallel.For(0, inputs.Count, parallel, i =>
                {
                    builds[i] = options.Parts is { } parts && SymbolPart.Exists(parts, inputs[i].Series.Symbol)
                        ? SymbolPart.Read(parts, inputs[i].Series, inputs[i].Info, all.Count, all)
                        : ComputeSymbol(inputs[i].Series, inputs[i].Info, Path.Combine(temp, SpillDirectory, i.ToString(CultureInfo.InvariantCulture)),
                            engineOptions, config, snapIdx, seqIdx);
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

            // Context columns per sample, and the context scalers and buckets per training set (training rows only).
            var nS = samples.Count;
            var atrBps = new double[nS];
            var spreadBps = new double[nS];
            for (var i = 0; i < nS; i++)
            {
                var (_, s, r) = samples[i];
                atrBps[i] = builds[s].Features.AtrBps[r];
                spreadBps[i] = builds[s].Features.SpreadBps[r];
            }
            var contextNames = FeatureContract.ContinuousContext(config.SpreadSource);
            var groups = new List<TrainingSet>();
            foreach (var (name, group, selection) in selections)
            {
                if (name != "train" && !name.EndsWith("_train", StringComparison.Ordinal)) continue;
                var rows = selection.Rows;
                double[][] ctxCols = config.SpreadSource == SpreadSource.Absent ? [atrBps] : [atrBps, spreadBps];
                groups.Add(new TrainingSet(group, rows, rows.Length == 0 ? long.MinValue : rows.Max(i => times[i]),
                    StandardScaler.Fit(contextNames, ctxCols, rows),
                    config.AtrBucketMode == BucketMode.Fixed ? config.AtrBucketThresholdsBps : Quantiles(atrBps, rows, [0.25, 0.5, 0.75]),
                    config.SpreadSource == SpreadSource.Absent ? []
                        : config.SpreadBucketMode == BucketMode.Fixed ? config.SpreadBucketThresholdsBps : Quantiles(spreadBps, rows, [1 / 3.0, 2 / 3.0])));
            }
            Stage("scalers");

            // Parquet, one column at a time; sequence and snapshot scalers are fitted on each column as it passes.
            var splitInfos = new SplitInfo[selections.Count];
            DatasetFile? sequenceFile = null;
            var seqFit = new (double Mean, double Std)[groups.Count, seqNames.Count];
            var snapFit = new (double Mean, double Std)[groups.Count, snapNames.Count];
            using (var task = options.Progress.Start("writing Parquet", selections.Count + 1))
            {
                Parallel.Invoke(new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) },
                    () =>
                    {
                        sequenceFile = WriteSequence(temp, builds, seqNames, seqIdx, seqOffset, groups, seqFit);
                        task.Advance(1);
                    },
                    () =>
                    {
                        WriteSplits(temp, selections, samples, builds, snapNames, snapIdx, atrBps, spreadBps, times, groups, snapFit, config, vocabulary, splitInfos);
                        task.Advance(selections.Count);
                    });
            }
            foreach (var b in builds) b.Spill.Dispose();
            if (Directory.Exists(Path.Combine(temp, SpillDirectory))) Directory.Delete(Path.Combine(temp, SpillDirectory), recursive: true);
            var scalers = new Dictionary<string, ScalerSet>(StringComparer.Ordinal);
            for (var g = 0; g < groups.Count; g++)
            {
                var set = groups[g];
                scalers[set.Group] = new ScalerSet(Scaler(seqNames, seqFit, g), Scaler(snapNames, snapFit, g), set.Context,
                    set.AtrThresholds, set.SpreadThresholds, set.Rows.Length);
            }
            Stage("write_parquet");
            var engine = new FeatureEngine(engineOptions);
            var contract = FeatureContract.Create(config, engine, scalers["train"], vocabulary);
            var contractHash = FeatureContract.Hash(contract);
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
                ContextCategorical = FeatureContract.CategoricalContext(config.SpreadSource, config.Pooled),
                ContextContinuous = contextNames,
                FeatureContract = contract,
                FeatureContractHash = contractHash,
                Scalers = scalers,
                Sequence = sequenceFile!,
                Splits = splitInfos,
                SplitPlan = plan,
                Eligibility = new EligibilityReport(totalBars, nS, totalBars == 0 ? 0 : (double)nS / totalBars, reasons),
                SymbolInfo = builds.Select(b => b.Info).ToList(),
                SymbolVocabulary = vocabulary,
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
            foreach (var b in builds) b?.Spill.Dispose();
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// The id a build of <paramref name="source"/> with <paramref name="config"/> gets (nothing is read but the split file):
    /// of <paramref name="symbols"/> when given (a source holding one symbol's bars and every symbol's hash), else of the
    /// symbols the build would take.
    /// </summary>
    public static string Id(DatasetSource source, DatasetConfig config, IReadOnlyList<string>? symbols = null)
    {
        var (_, configHash, splitFileHash) = Hashes(config);
        symbols ??= config.Symbols.Count > 0 ? config.Symbols : source.Series.Select(s => s.Symbol).ToList();
        return ComputeId(symbols, source, configHash, splitFileHash);
    }

    /// <summary>
    /// One symbol's features (to a spill), labels and eligibility, published as a part under <paramref name="parts"/> for a
    /// later <see cref="Build"/> with <see cref="DatasetBuildOptions.Parts"/> to merge (a work item of
    /// <see cref="DistributedDatasetBuild"/>). <paramref name="source"/> needs to hold only that symbol's bars. False when
    /// the part was there already.
    /// </summary>
    public static bool BuildPart(DatasetSource source, DatasetConfig config, string symbol, string parts)
    {
        var input = SelectInputs(source, config, symbol).Single();
        var engineOptions = config.EngineOptions();
        var all = engineOptions.Features;
        var snapIdx = config.EffectiveSnapshotFeatures.Select(n => IndexOf(all, n)).ToArray();
        var seqIdx = config.EffectiveSequenceFeatures.Select(n => IndexOf(all, n)).ToArray();
        return SymbolPart.Write(parts, symbol, spill => ComputeSymbol(input.Series, input.Info, spill, engineOptions, config, snapIdx, seqIdx));
    }

    private static (JsonNode Json, string Hash, string? SplitFileHash) Hashes(DatasetConfig config)
    {
        var configJson = JsonSerializer.SerializeToNode(config, DatasetJson.Options)!;
        string? splitFileHash = null;
        if (config.Splits.Method == SplitMethod.File)
        {
            if (!File.Exists(config.Splits.File)) throw new ConfigException("splits.file", [$"split file '{config.Splits.File}' does not exist"]);
            splitFileHash = ParquetColumns.FileSha256(config.Splits.File!);
        }
        return (configJson, CanonicalJson.Sha256(configJson), splitFileHash);
    }

    /// <summary>Folder of the feature spill inside the temporary dataset directory (removed before the rename).</summary>
    private const string SpillDirectory = "spill";

    /// <summary>One symbol's features (to its spill), context, labels and eligibility.</summary>
    private static SymbolBuild ComputeSymbol(BarSeries bars, SymbolInfo info, string spillDir, FeatureEngineOptions engineOptions,
        DatasetConfig config, int[] snapIdx, int[] seqIdx)
    {
        var spill = new ColumnSpill(spillDir, engineOptions.Features.Count);
        try
        {
            var isSeq = new bool[spill.Columns];
            var isSnap = new bool[spill.Columns];
            foreach (var c in seqIdx) isSeq[c] = true;
            foreach (var c in snapIdx) isSnap[c] = true;
            // Only ever set to false, so columns streamed from different threads need no lock.
            var seqFinite = new bool[bars.Count];
            var snapFinite = new bool[bars.Count];
            Array.Fill(seqFinite, true);
            Array.Fill(snapFinite, true);
            var features = FeatureEngine.Compute(bars, engineOptions, (c, first, values) =>
            {
                spill.Append(c, values);
                if (!isSeq[c] && !isSnap[c]) return;
                for (var k = 0; k < values.Length; k++)
                {
                    if (double.IsFinite(values[k])) continue;
                    if (isSeq[c]) seqFinite[first + k] = false;
                    if (isSnap[c]) snapFinite[first + k] = false;
                }
            });
            spill.Complete();
            var labels = Labeler.Compute(bars, features, config);
            var reasons = Eligibility.Evaluate(features, seqFinite, snapFinite, labels, config);
            return new SymbolBuild { Bars = bars, Features = features, Labels = labels, Reasons = reasons, Info = info, Spill = spill };
        }
        catch
        {
            spill.Dispose();
            throw;
        }
    }

    private static StandardScaler Scaler(IReadOnlyList<string> names, (double Mean, double Std)[,] fit, int group)
    {
        var mean = new double[names.Count];
        var std = new double[names.Count];
        for (var c = 0; c < names.Count; c++) (mean[c], std[c]) = fit[group, c];
        return new StandardScaler(names, mean, std);
    }

    /// <summary>
    /// <c>sequence.parquet</c>: every bar of every symbol, one feature column at a time read back from the
    /// spills; each column's sequence scaler is fitted per training set on the rows up to its last
    /// training decision bar.
    /// </summary>
    private static DatasetFile WriteSequence(string dir, SymbolBuild[] builds, IReadOnlyList<string> seqNames, int[] seqIdx, long rows,
        List<TrainingSet> groups, (double Mean, double Std)[,] fit)
    {
        var schema = new List<(string, Type)> { ("timestamp", typeof(long)), ("symbol", typeof(string)) };
        schema.AddRange(seqNames.Select(n => (n, typeof(double))));
        var seqRows = groups.Select(g =>
        {
            var list = new List<int>();
            foreach (var b in builds)
                for (var r = 0; r < b.Bars.Count && b.Bars.Time[r] <= g.MaxTime; r++) list.Add((int)b.Info.SeqRowStart + r);
            return list.ToArray();
        }).ToArray();
        var path = Path.Combine(dir, "sequence.parquet");
        using var writer = new ParquetColumnWriter(path, schema);
        {
            var time = new long[rows];
            foreach (var b in builds) Array.Copy(b.Bars.Time, 0, time, b.Info.SeqRowStart, b.Bars.Count);
            writer.WriteNext(time);
        }
        {
            var symbol = new string[rows];
            foreach (var b in builds) Array.Fill(symbol, b.Bars.Symbol, (int)b.Info.SeqRowStart, b.Bars.Count);
            writer.WriteNext(symbol);
        }
        var column = new double[rows];
        for (var c = 0; c < seqNames.Count; c++)
        {
            foreach (var b in builds) b.Spill.Read(seqIdx[c], column.AsSpan((int)b.Info.SeqRowStart, b.Bars.Count));
            writer.WriteNext(column);
            for (var g = 0; g < groups.Count; g++) fit[g, c] = StandardScaler.FitColumn(column, seqRows[g]);
        }
        return new DatasetFile("sequence.parquet", rows, writer.Complete());
    }

    /// <summary>
    /// The split files, all open at once and written column by column: a snapshot feature is gathered for
    /// every sample once (from the spills), its scaler fitted per training set, and its rows written to
    /// every split.
    /// </summary>
    private static void WriteSplits(string dir, List<(string Name, string Group, SplitSelection Selection)> selections,
        List<(long Time, int Symbol, int Row)> samples, SymbolBuild[] builds, IReadOnlyList<string> snapNames, int[] snapIdx,
        double[] atrBps, double[] spreadBps, long[] times, List<TrainingSet> groups, (double Mean, double Std)[,] fit,
        DatasetConfig config, IReadOnlyList<string>? vocabulary, SplitInfo[] infos)
    {
        // symbol_id of each build (pooled datasets): its symbol's position in the vocabulary.
        var symbolIds = vocabulary is null ? null : builds.Select(b => vocabulary.ToList().IndexOf(b.Bars.Symbol)).ToArray();
        var spreadKnown = config.SpreadSource != SpreadSource.Absent;
        var schema = new List<(string, Type)> { ("timestamp", typeof(long)), ("symbol", typeof(string)), ("seq_row", typeof(long)), ("label_end", typeof(long)) };
        schema.AddRange(snapNames.Select(n => (n, typeof(double))));
        schema.AddRange([("session_id", typeof(int)), ("trend_regime_id", typeof(int)), ("vol_regime_id", typeof(int)), ("atr_bucket", typeof(int))]);
        if (spreadKnown) schema.Add(("spread_bucket", typeof(int)));
        if (symbolIds is not null) schema.Add((FeatureContract.SymbolIdColumn, typeof(int)));
        schema.Add(("atr_bps", typeof(double)));
        if (spreadKnown) schema.Add(("spread_bps", typeof(double)));
        schema.AddRange([("y_direction", typeof(int)), ("y_early_move", typeof(int)), ("y_quality", typeof(double)), ("mae_atr", typeof(double)), ("mfe_atr", typeof(double))]);

        var writers = new ParquetColumnWriter[selections.Count];
        try
        {
            for (var k = 0; k < selections.Count; k++)
            {
                writers[k] = new ParquetColumnWriter(Path.Combine(dir, selections[k].Name + ".parquet"), schema);
                var rows = selections[k].Selection.Rows;
                writers[k].WriteNext(Pick(rows, i => times[i]));
                writers[k].WriteNext(Pick(rows, i => builds[samples[i].Symbol].Bars.Symbol));
                writers[k].WriteNext(Pick(rows, i => builds[samples[i].Symbol].Info.SeqRowStart + samples[i].Row));
                writers[k].WriteNext(Pick(rows, i => builds[samples[i].Symbol].Labels.LabelEnd[samples[i].Row]));
            }

            // Sample indices per symbol, to gather a column from each symbol's spill.
            var bySymbol = new List<int>[builds.Length];
            for (var s = 0; s < builds.Length; s++) bySymbol[s] = [];
            for (var i = 0; i < samples.Count; i++) bySymbol[samples[i].Symbol].Add(i);
            var gathered = new double[samples.Count];
            // One buffer per split, refilled for every feature: no large-object garbage per column.
            var splitColumns = selections.Select(x => new double[x.Selection.Rows.Length]).ToArray();
            var symbolColumn = new double[builds.Length == 0 ? 0 : builds.Max(b => b.Bars.Count)];
            for (var c = 0; c < snapNames.Count; c++)
            {
                for (var s = 0; s < builds.Length; s++)
                {
                    var values = symbolColumn.AsSpan(0, builds[s].Bars.Count);
                    builds[s].Spill.Read(snapIdx[c], values);
                    foreach (var i in bySymbol[s]) gathered[i] = values[samples[i].Row];
                }
                for (var g = 0; g < groups.Count; g++) fit[g, c] = StandardScaler.FitColumn(gathered, groups[g].Rows);
                for (var k = 0; k < selections.Count; k++)
                {
                    var rows = selections[k].Selection.Rows;
                    var column = splitColumns[k];
                    for (var j = 0; j < rows.Length; j++) column[j] = gathered[rows[j]];
                    writers[k].WriteNext(column);
                }
            }

            for (var k = 0; k < selections.Count; k++)
            {
                var (name, group, selection) = selections[k];
                var set = groups.First(g => g.Group == group);
                var rows = selection.Rows;
                var w = writers[k];
                int[] Context(Func<FeatureTable, int[]> column) => Pick(rows, i => column(builds[samples[i].Symbol].Features)[samples[i].Row]);
                w.WriteNext(Context(f => f.SessionId));
                w.WriteNext(Context(f => f.TrendRegimeId));
                w.WriteNext(Context(f => f.VolRegimeId));
                w.WriteNext(Pick(rows, i => ScalerSet.Bucket(atrBps[i], set.AtrThresholds)));
                if (spreadKnown) w.WriteNext(Pick(rows, i => ScalerSet.Bucket(spreadBps[i], set.SpreadThresholds)));
                if (symbolIds is not null) w.WriteNext(Pick(rows, i => symbolIds[samples[i].Symbol]));
                w.WriteNext(Pick(rows, i => atrBps[i]));
                if (spreadKnown) w.WriteNext(Pick(rows, i => spreadBps[i]));
                T[] Label<T>(Func<LabelColumns, T[]> column) => Pick(rows, i => column(builds[samples[i].Symbol].Labels)[samples[i].Row]);
                var yDir = Label(l => l.Direction);
                var yEarly = Label(l => l.EarlyMove);
                var yQuality = Label(l => l.Quality);
                var mae = Label(l => l.Mae);
                var mfe = Label(l => l.Mfe);
                foreach (var column in new Array[] { yDir, yEarly, yQuality, mae, mfe }) w.WriteNext(column);
                var hash = w.Complete();
                var n = rows.Length;
                long? first = n == 0 ? null : times[rows[0]];
                long? last = n == 0 ? null : times[rows[^1]];
                infos[k] = new SplitInfo
                {
                    Name = name,
                    File = name + ".parquet",
                    Rows = n,
                    Sha256 = hash,
                    ScalerGroup = group,
                    StartTime = first,
                    EndTime = last,
                    StartUtc = first is { } f ? Iso(f) : null,
                    EndUtc = last is { } l ? Iso(l) : null,
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
        }
        finally
        {
            foreach (var w in writers) w?.Dispose();
        }
        static string Iso(long t) => DateTime.UnixEpoch.AddSeconds(t).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
    }

    private static T[] Pick<T>(int[] rows, Func<int, T> value)
    {
        var result = new T[rows.Length];
        for (var k = 0; k < rows.Length; k++) result[k] = value(rows[k]);
        return result;
    }

    /// <summary>A training set (the main train split or a fold's): its sample rows, last decision time and the fits made in memory.</summary>
    private sealed record TrainingSet(string Group, int[] Rows, long MaxTime, StandardScaler Context,
        IReadOnlyList<double> AtrThresholds, IReadOnlyList<double> SpreadThresholds);

    /// <summary>The bars of every symbol to build (or of <paramref name="only"/> that one), resampled, after checking them against the configuration.</summary>
    private static List<(BarSeries Series, SymbolInfo Info)> SelectInputs(DatasetSource source, DatasetConfig config, string? only = null)
    {
        var problems = new List<string>();
        var bySymbol = source.Series.ToDictionary(s => s.Symbol, StringComparer.Ordinal);
        var symbols = only is not null ? [only] : config.Symbols.Count > 0 ? config.Symbols : source.Series.Select(s => s.Symbol).ToList();
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
