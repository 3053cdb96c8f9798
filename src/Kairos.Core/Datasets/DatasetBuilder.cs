using System.Globalization;
using System.Numerics;
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
        var symbols = CheckInputs(source, config);
        var vocabulary = config.Pooled ? FeatureContract.SymbolVocabulary(symbols) : null;
        var (configJson, configHash, splitFileHash) = Hashes(config);
        var id = ComputeId(symbols, source, configHash, splitFileHash);
        var finalDir = Path.Combine(outRoot, id);
        var engineOptions = config.EngineOptions();
        Stage("inputs");

        LookaheadReport? lookahead = null;
        if (options.CheckLookahead)
        {
            using var task = options.Progress.Start("look-ahead check", symbols.Count);
            var cutTimes = new List<long>();
            long compared = 0;
            foreach (var symbol in symbols)
            {
                var r = LookaheadCheck.Run(Prepare(source, config, symbol).Series, s => FeatureEngine.Compute(s, engineOptions), options.LookaheadCuts);
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
        var parts = options.Parts ?? Path.Combine(temp, PartsDirectory);
        var builds = new SymbolSamples[symbols.Count];
        try
        {
            // One symbol at a time per task: its bars are read, its features streamed to its part's spill, its context,
            // labels and eligibility written to the part; only its eligible rows, times and label ends stay in memory.
            using (var task = options.Progress.Start("features and labels", symbols.Count))
            {
                ArgumentOutOfRangeException.ThrowIfNegative(options.ParallelSymbols);
                var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.ParallelSymbols == 0 ? Environment.ProcessorCount : options.ParallelSymbols };
                Parallel.For(0, symbols.Count, parallel, i =>
                {
                    var (series, info) = Prepare(source, config, symbols[i]);
                    if (!SymbolPart.Exists(parts, series.Symbol))
                        SymbolPart.Write(parts, series.Symbol, spill => ComputeSymbol(series, info, spill, engineOptions, config, snapIdx, seqIdx));
                    builds[i] = SymbolPart.ReadSamples(parts, series, info, all.Count);
                    ReturnFreedMemory();
                    task.Advance(1);
                });
            }
            long seqOffset = 0;
            foreach (var b in builds)
            {
                b.Info = b.Info with { SeqRowStart = seqOffset };
                seqOffset += b.Info.Bars;
            }
            Stage("features_labels_eligibility");

            // Samples in time order (ties by symbol order).
            var (times, labelEnds) = MergeSamples(builds);

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
            labelEnds = [];
            ReturnFreedMemory();
            Stage("splits");
            if (selections[0].Selection.Rows.Length == 0)
                throw new ConfigException("splits", ["the training split is empty: check the split settings and the eligibility report"]);

            // The context scalers and buckets per training set (training rows only), from the samples' ATR and spread.
            var nS = times.Length;
            var samples = new SampleGather(builds, nS);
            var contextNames = FeatureContract.ContinuousContext(config.SpreadSource);
            var groups = new List<TrainingSet>();
            {
                // One context column at a time (one buffer): its fit and its bucket thresholds per training set.
                var trainSets = selections.Where(x => x.Name == "train" || x.Name.EndsWith("_train", StringComparison.Ordinal)).ToList();
                var fits = new (double Mean, double Std)[trainSets.Count, contextNames.Count];
                var thresholds = new IReadOnlyList<double>[trainSets.Count, 2];
                string[] columns = ["atr_bps", "spread_bps"];
                for (var c = 0; c < 2; c++)
                {
                    if (c == 1 && config.SpreadSource == SpreadSource.Absent)
                    {
                        for (var t = 0; t < trainSets.Count; t++) thresholds[t, c] = [];
                        continue;
                    }
                    var values = samples.PartColumn<double>(columns[c]);
                    for (var t = 0; t < trainSets.Count; t++)
                    {
                        var rows = trainSets[t].Selection.Rows;
                        fits[t, c] = StandardScaler.FitColumn(values, rows);
                        thresholds[t, c] = c == 0
                            ? config.AtrBucketMode == BucketMode.Fixed ? config.AtrBucketThresholdsBps : Quantiles(values, rows, [0.25, 0.5, 0.75])
                            : config.SpreadBucketMode == BucketMode.Fixed ? config.SpreadBucketThresholdsBps : Quantiles(values, rows, [1 / 3.0, 2 / 3.0]);
                    }
                }
                for (var t = 0; t < trainSets.Count; t++)
                {
                    var rows = trainSets[t].Selection.Rows;
                    groups.Add(new TrainingSet(trainSets[t].Group, rows, rows.Length == 0 ? long.MinValue : rows.Max(i => times[i]),
                        Scaler(contextNames, fits, t), thresholds[t, 0], thresholds[t, 1]));
                }
            }
            Stage("scalers");

            // Parquet, one column at a time; sequence and snapshot scalers are fitted on each column as it passes.
            var splitInfos = new SplitInfo[selections.Count];
            DatasetFile? sequenceFile = null;
            var seqFit = new (double Mean, double Std)[groups.Count, seqNames.Count];
            var snapFit = new (double Mean, double Std)[groups.Count, snapNames.Count];
            // A feature's spill files go as soon as every file that reads it has it (not a worker's parts: a merge that
            // fails is run again on them), so the disk holds the spills or the files they become, not both.
            var readers = new int[all.Count];
            foreach (var c in seqIdx.Concat(snapIdx)) readers[c]++;
            void Delete(int feature)
            {
                if (options.Parts is null)
                    foreach (var b in builds) b.Spill.DeleteColumn(feature);
            }
            void Written(int feature)
            {
                if (Interlocked.Decrement(ref readers[feature]) == 0) Delete(feature);
            }
            for (var c = 0; c < readers.Length; c++)
                if (readers[c] == 0) Delete(c);
            using (var task = options.Progress.Start("writing Parquet", selections.Count + 1))
            {
                Parallel.Invoke(new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) },
                    () =>
                    {
                        sequenceFile = WriteSequence(temp, builds, seqNames, seqIdx, seqOffset, groups, seqFit, Written);
                        task.Advance(1);
                    },
                    () =>
                    {
                        WriteSplits(temp, selections, samples, builds, snapNames, snapIdx, times, groups, snapFit, config, vocabulary, splitInfos, Written);
                        task.Advance(selections.Count);
                    });
            }
            foreach (var b in builds) b.Spill.Dispose();
            if (options.Parts is null && Directory.Exists(parts)) Directory.Delete(parts, recursive: true);
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
                .ToDictionary(r => YamlSection.Snake(r.ToString()), r => builds.Sum(b => b.ReasonCounts[(int)r]));
            var totalBars = builds.Sum(b => (long)b.Bars);
            var metadata = new DatasetMetadata
            {
                Id = id,
                CreatedAt = options.Time.GetUtcNow(),
                BarSeconds = (long)config.BarSize.TotalSeconds,
                SeqLen = config.SeqLen,
                Symbols = builds.Select(b => b.Info.Symbol).ToList(),
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
                    SymbolHashes = builds.ToDictionary(b => b.Info.Symbol, b => SymbolHash(source, b.Info.Symbol)),
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
    /// A full, compacting collection that gives the freed memory back to the system, at the two points where a build drops
    /// most of what it allocated: after each symbol's part (its bars, context and labels: about 200 bytes a bar in large
    /// arrays) and after the split plan (the merge's and the guard's arrays). Left to itself the collector keeps the freed
    /// regions committed and runs its next full collection late, so the peak grew with every symbol built (3 x 2M M1 bars:
    /// 705 MB committed after the features stage without it, 186 MB with it; with the chunk buffers reused, a peak of 699 MB
    /// instead of 1,197 MB;
    /// a collection takes milliseconds, the heap being small).
    /// </summary>
    private static void ReturnFreedMemory() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    /// <summary>
    /// Every symbol's eligible samples merged in time order (ties by symbol order, then row): their times and label ends,
    /// and each symbol's <see cref="SymbolSamples.Sample"/> positions. The symbols' own time and label-end arrays are dropped.
    /// </summary>
    private static (long[] Times, long[] LabelEnds) MergeSamples(SymbolSamples[] builds)
    {
        var n = builds.Sum(b => b.Rows.Length);
        var times = new long[n];
        var labelEnds = new long[n];
        var next = new int[builds.Length];
        var queue = new PriorityQueue<int, (long Time, int Symbol)>();
        for (var s = 0; s < builds.Length; s++)
        {
            builds[s].Sample = new int[builds[s].Rows.Length];
            if (builds[s].Rows.Length > 0) queue.Enqueue(s, (builds[s].Times![0], s));
        }
        for (var i = 0; i < n; i++)
        {
            var s = queue.Dequeue();
            var b = builds[s];
            var j = next[s]++;
            times[i] = b.Times![j];
            labelEnds[i] = b.LabelEnds![j];
            b.Sample[j] = i;
            if (j + 1 < b.Rows.Length) queue.Enqueue(s, (b.Times[j + 1], s));
        }
        foreach (var b in builds) (b.Times, b.LabelEnds) = (null, null);
        return (times, labelEnds);
    }

    /// <summary>
    /// The id a build of <paramref name="source"/> with <paramref name="config"/> gets (nothing is read but the split file):
    /// of <paramref name="symbols"/> when given (a source holding one symbol's bars and every symbol's hash), else of the
    /// symbols the build would take.
    /// </summary>
    public static string Id(DatasetSource source, DatasetConfig config, IReadOnlyList<string>? symbols = null)
    {
        var (_, configHash, splitFileHash) = Hashes(config);
        symbols ??= config.Symbols.Count > 0 ? config.Symbols : source.Symbols;
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
        CheckInputs(source, config, symbol);
        var input = Prepare(source, config, symbol);
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

    /// <summary>Folder of the symbols' parts inside the temporary dataset directory (removed before the rename) when no other is given.</summary>
    private const string PartsDirectory = "parts";

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
    /// <c>sequence.parquet</c>: every bar of every symbol, one column at a time streamed from the parts
    /// (<see cref="ParquetColumnWriter.ChunkRows"/> rows at a time, one symbol's column in memory); each sequence
    /// feature's scaler is fitted per training set, as the column passes, on the rows up to its last training decision bar.
    /// </summary>
    private static DatasetFile WriteSequence(string dir, SymbolSamples[] builds, IReadOnlyList<string> seqNames, int[] seqIdx, long rows,
        List<TrainingSet> groups, (double Mean, double Std)[,] fit, Action<int> written)
    {
        var schema = new List<(string, Type)> { ("timestamp", typeof(long)), ("symbol", typeof(string)) };
        schema.AddRange(seqNames.Select(n => (n, typeof(double))));
        // Per training set and symbol: how many of its first bars are up to the set's last decision time (bars are in time order).
        var fitted = new int[groups.Count, builds.Length];
        var path = Path.Combine(dir, "sequence.parquet");
        using var writer = new ParquetColumnWriter(path, schema);
        var maxBars = builds.Length == 0 ? 0 : builds.Max(b => b.Bars);
        var time = new long[maxBars];
        writer.WriteNext(rows, BySymbol(builds, s =>
        {
            var bars = time.AsSpan(0, builds[s].Bars);
            SymbolPart.ReadColumn(builds[s].Directory, "timestamp", bars);
            for (var g = 0; g < groups.Count; g++)
            {
                var n = 0;
                while (n < bars.Length && bars[n] <= groups[g].MaxTime) n++;
                fitted[g, s] = n;
            }
            return time;
        }));
        var name = new string[maxBars];
        writer.WriteNext(rows, BySymbol(builds, s => { Array.Fill(name, builds[s].Info.Symbol, 0, builds[s].Bars); return name; }));
        var column = new double[maxBars];
        for (var c = 0; c < seqNames.Count; c++)
        {
            var moments = new RunningMoments[groups.Count];
            var feature = seqIdx[c];
            writer.WriteNext(rows, BySymbol(builds, s =>
            {
                var values = column.AsSpan(0, builds[s].Bars);
                builds[s].Spill.Read(feature, values);
                for (var g = 0; g < groups.Count; g++)
                    foreach (var x in values[..fitted[g, s]]) moments[g].Add(x);
                return column;
            }));
            for (var g = 0; g < groups.Count; g++) fit[g, c] = moments[g].Result();
            written(feature);
        }
        return new DatasetFile("sequence.parquet", rows, writer.Complete());
    }

    /// <summary>
    /// A column of every bar of every symbol in sequence order, one symbol's column at a time: <paramref name="load"/>
    /// gives symbol s's (at least its bar count long), asked once per symbol, in symbol order.
    /// </summary>
    private static ColumnChunkFill<T> BySymbol<T>(SymbolSamples[] builds, Func<int, T[]> load)
    {
        var symbol = -1;
        T[] values = [];
        return (destination, first) =>
        {
            var done = 0;
            while (done < destination.Length)
            {
                var row = first + done;
                while (symbol < 0 || row >= builds[symbol].Info.SeqRowStart + builds[symbol].Bars)
                {
                    symbol++;
                    values = load(symbol);
                }
                var offset = (int)(row - builds[symbol].Info.SeqRowStart);
                var n = Math.Min(destination.Length - done, builds[symbol].Bars - offset);
                values.AsSpan(offset, n).CopyTo(destination.Slice(done, n));
                done += n;
            }
        };
    }

    /// <summary>
    /// The split files, all open at once and written column by column: a column is gathered for every sample once (from
    /// the parts), a snapshot feature's scaler fitted per training set, and its rows written to every split, a chunk at a time.
    /// </summary>
    private static void WriteSplits(string dir, List<(string Name, string Group, SplitSelection Selection)> selections,
        SampleGather samples, SymbolSamples[] builds, IReadOnlyList<string> snapNames, int[] snapIdx,
        long[] times, List<TrainingSet> groups, (double Mean, double Std)[,] fit,
        DatasetConfig config, IReadOnlyList<string>? vocabulary, SplitInfo[] infos, Action<int> written)
    {
        // symbol_id of each build (pooled datasets): its symbol's position in the vocabulary.
        var symbolIds = vocabulary is null ? null : builds.Select(b => vocabulary.ToList().IndexOf(b.Info.Symbol)).ToArray();
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
        var sets = selections.Select(x => groups.First(g => g.Group == x.Group)).ToArray();
        // Every split's column of values[row].
        void Write<T>(T[] values)
        {
            for (var k = 0; k < selections.Count; k++)
            {
                var rows = selections[k].Selection.Rows;
                writers[k].WriteNext<T>(rows.Length, (destination, first) =>
                {
                    for (var j = 0; j < destination.Length; j++) destination[j] = values[rows[first + j]];
                });
            }
        }
        // Every split's column of value(split, values[row]).
        void WriteMapped<TIn, TOut>(TIn[] values, Func<int, TIn, TOut> value)
        {
            for (var k = 0; k < selections.Count; k++)
            {
                var rows = selections[k].Selection.Rows;
                var split = k;
                writers[k].WriteNext<TOut>(rows.Length, (destination, first) =>
                {
                    for (var j = 0; j < destination.Length; j++) destination[j] = value(split, values[rows[first + j]]);
                });
            }
        }
        // Each split's label means (label_balance), summed in row order as Enumerable.Average does (an int label's sum is
        // exact in a double, as in the long Average sums it in).
        var balance = new double[selections.Count, 5];
        void WriteLabel<T>(int label, string name) where T : INumberBase<T>
        {
            var values = samples.PartColumn<T>(name);
            Write(values);
            for (var k = 0; k < selections.Count; k++)
            {
                var rows = selections[k].Selection.Rows;
                var sum = 0.0;
                foreach (var r in rows) sum += double.CreateTruncating(values[r]);
                balance[k, label] = rows.Length == 0 ? double.NaN : sum / rows.Length;
            }
        }
        try
        {
            for (var k = 0; k < selections.Count; k++)
                writers[k] = new ParquetColumnWriter(Path.Combine(dir, selections[k].Name + ".parquet"), schema);
            Write(times);
            WriteMapped(samples.Map((s, _) => s), (_, s) => builds[s].Info.Symbol);
            Write(samples.Map((s, row) => builds[s].Info.SeqRowStart + row));
            Write(samples.PartColumn<long>("label_end"));
            for (var c = 0; c < snapNames.Count; c++)
            {
                var gathered = samples.SpillColumn(snapIdx[c]);
                written(snapIdx[c]);
                for (var g = 0; g < groups.Count; g++) fit[g, c] = StandardScaler.FitColumn(gathered, groups[g].Rows);
                Write(gathered);
            }
            Write(samples.PartColumn<int>("session_id"));
            Write(samples.PartColumn<int>("trend_regime_id"));
            Write(samples.PartColumn<int>("vol_regime_id"));
            // The context columns, one gathered at a time: the buckets (by each split's training set) first, the values after.
            WriteMapped(samples.PartColumn<double>("atr_bps"), (k, x) => ScalerSet.Bucket(x, sets[k].AtrThresholds));
            if (spreadKnown) WriteMapped(samples.PartColumn<double>("spread_bps"), (k, x) => ScalerSet.Bucket(x, sets[k].SpreadThresholds));
            if (symbolIds is not null) Write(samples.Map((s, _) => symbolIds[s]));
            Write(samples.PartColumn<double>("atr_bps"));
            if (spreadKnown) Write(samples.PartColumn<double>("spread_bps"));
            WriteLabel<int>(0, "y_direction");
            WriteLabel<int>(1, "y_early_move");
            WriteLabel<double>(2, "y_quality");
            WriteLabel<double>(3, "mae_atr");
            WriteLabel<double>(4, "mfe_atr");

            for (var k = 0; k < selections.Count; k++)
            {
                var (name, group, selection) = selections[k];
                var rows = selection.Rows;
                var hash = writers[k].Complete();
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
                    LabelBalance = new LabelBalance(balance[k, 0], balance[k, 1], balance[k, 2], balance[k, 3], balance[k, 4]),
                };
            }
        }
        finally
        {
            foreach (var w in writers) w?.Dispose();
        }
        static string Iso(long t) => DateTime.UnixEpoch.AddSeconds(t).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
    }

    /// <summary>A training set (the main train split or a fold's): its sample rows, last decision time and the fits made in memory.</summary>
    private sealed record TrainingSet(string Group, int[] Rows, long MaxTime, StandardScaler Context,
        IReadOnlyList<double> AtrThresholds, IReadOnlyList<double> SpreadThresholds);

    /// <summary>
    /// The symbols to build (or <paramref name="only"/>), after checking each against the configuration (the bar size, and
    /// a spread and a volume column where the configuration needs them) without reading its bars; every problem at once.
    /// </summary>
    private static IReadOnlyList<string> CheckInputs(DatasetSource source, DatasetConfig config, string? only = null)
    {
        var problems = new List<string>();
        var available = source.Symbols;
        var symbols = only is not null ? [only] : config.Symbols.Count > 0 ? config.Symbols : available;
        var result = new List<string>();
        foreach (var symbol in symbols)
        {
            if (!available.Contains(symbol, StringComparer.Ordinal))
            {
                problems.Add($"symbols: '{symbol}' is not in the snapshot (it has {string.Join(", ", available)})");
                continue;
            }
            var (barSize, hasSpread, hasVolume) = source.Shape(symbol);
            if (config.SpreadSource == SpreadSource.Column && !hasSpread)
            {
                problems.Add($"spread.source: '{symbol}' has no spread column; set spread.source to 'constant' (with spread.constant_bps) or 'absent'");
                continue;
            }
            if (!hasVolume && config.Volume == VolumeSource.Column)
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
            var sourceSeconds = (long)barSize.TotalSeconds;
            var targetSeconds = (long)config.BarSize.TotalSeconds;
            if (sourceSeconds > targetSeconds || targetSeconds % sourceSeconds != 0)
            {
                problems.Add($"bar_size: '{symbol}' has {barSize} bars, which cannot be resampled to {config.BarSize}");
                continue;
            }
            result.Add(symbol);
        }
        if (result.Count == 0 && problems.Count == 0) problems.Add("symbols: nothing to build (the snapshot has no symbols)");
        if (problems.Count > 0) throw new ConfigException("dataset configuration", problems);
        return result;
    }

    /// <summary>The bars of <paramref name="symbol"/> (checked by <see cref="CheckInputs"/>), read and resampled to the configured bar size.</summary>
    private static (BarSeries Series, SymbolInfo Info) Prepare(DatasetSource source, DatasetConfig config, string symbol)
    {
        var series = source.ReadBars(symbol);
        var sourceSeconds = (long)series.BarSize.TotalSeconds;
        var bars = series;
        var partial = 0;
        string? from = null;
        if (sourceSeconds != (long)config.BarSize.TotalSeconds)
        {
            var resampled = BarResampler.Resample(series, config.BarSize);
            bars = resampled.Series;
            partial = resampled.PartialBuckets;
            from = $"{series.BarSize} ({series.Count} bars){(resampled.TrailingIncomplete ? "; the still-forming last bucket was left out" : "")}";
        }
        var negative = bars.Spread?.Count(x => x < 0) ?? 0;
        return (bars, new SymbolInfo
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
        });
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
        var s = source.ReadBars(symbol);
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
        var finite = 0;
        foreach (var r in rows)
            if (double.IsFinite(values[r])) finite++;
        var v = new double[finite];
        finite = 0;
        foreach (var r in rows)
            if (double.IsFinite(values[r])) v[finite++] = values[r];
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
