using Kairos.Calibration;
using Kairos.Errors;
using Kairos.Progress;

namespace Kairos.Trees;

/// <summary>
/// The boosted-tree stage, in order: check the inputs; cut validation by time into an early-stopping part and
/// a calibration part; per session group, train the final ensemble on all training rows and one ensemble
/// per purged time fold; fit per-session calibrators for each on the calibration part (rows no tree trained
/// on); score the training rows out of fold and every other split with the final models.
/// </summary>
public static class GbdtStage
{
    /// <summary>Calibrators are per session; this stage uses a single bucket.</summary>
    public const string Bucket = SessionCalibratorSet.AllBuckets;

    /// <summary>Group name of the pooled model.</summary>
    public const string PooledGroup = SessionCalibratorSet.AllSessions;

    /// <param name="calibratorPath">Where the calibrators will be saved; named in a missing-calibrator error.</param>
    public static GbdtStageResult Fit(GbdtProblem problem, GbdtStageOptions options, string calibratorPath, IProgressSink progress) =>
        Fit(problem, options, calibratorPath, progress, outOfFold: true);

    /// <summary>
    /// The final models and their per-session calibrators only, exactly as <see cref="Fit(GbdtProblem, GbdtStageOptions, string, Progress.IProgressSink)"/> trains them, and
    /// the signals of validation and every other split; no out-of-fold models and no training-row signals
    /// (<see cref="GbdtStageResult.TrainSignalFold"/> is empty). What a walk-forward fold evaluates.
    /// </summary>
    public static GbdtStageResult FitFinal(GbdtProblem problem, GbdtStageOptions options, string calibratorPath, IProgressSink progress) =>
        Fit(problem, options, calibratorPath, progress, outOfFold: false);

    private static GbdtStageResult Fit(GbdtProblem problem, GbdtStageOptions options, string calibratorPath, IProgressSink progress, bool outOfFold)
    {
        var problems = options.Validate();
        if (problems.Count > 0) throw new ConfigException("gbdt options", problems);
        // Training and validation rows read from the split files are read by every fold: copied once into float32 row files.
        var train = problem.Train.WithRowsInFile(out var trainFile);
        using (trainFile)
        {
            var validation = problem.Validation.WithRowsInFile(out var validationFile);
            using (validationFile)
                return FitRows(problem with { Train = train, Validation = validation }, options, calibratorPath, progress, outOfFold);
        }
    }

    private static GbdtStageResult FitRows(GbdtProblem problem, GbdtStageOptions options, string calibratorPath, IProgressSink progress, bool outOfFold)
    {
        var threads = options.Parameters.Threads;
        var train = problem.Train;
        var validation = problem.Validation;
        var sessions = train.Sessions.Distinct().Order(StringComparer.Ordinal).ToArray();
        RequireTrainedSessions(problem, sessions, calibratorPath);

        var calibrationStart = CalibrationStart(validation, options.CalibrationFraction);
        var calibrationRows = validation.Times.Select(t => t >= calibrationStart).ToArray();
        var earlyStopRows = Enumerable.Range(0, validation.Rows).Where(i => !calibrationRows[i]).ToArray();
        var groups = options.Mode == GbdtModelMode.PerSession
            ? sessions.Select(s => (Name: s, Sessions: (IReadOnlyList<string>)[s])).ToList()
            : [(PooledGroup, sessions)];
        foreach (var session in sessions) CheckSession(problem, session, calibrationRows, options);

        var purge = (options.PurgeBars ?? problem.LabelHorizonBars + 1) * problem.BarSeconds;
        var embargo = (options.EmbargoBars ?? problem.LabelHorizonBars + 1) * problem.BarSeconds;
        var results = new List<GbdtGroupResult>();
        try
        {
            using var task = progress.Start("training trees", groups.Count * (outOfFold ? options.Folds + 1 : 1));
            foreach (var (name, groupSessions) in groups)
            {
                results.Add(FitGroup(problem, options, name, groupSessions, earlyStopRows, calibrationRows, purge, embargo, outOfFold, task));
            }

            var validationCalibrationRows = Enumerable.Range(0, validation.Rows).Where(i => calibrationRows[i]).ToArray();
            var calibrators = FitCalibrators(options.Calibration, validation, validationCalibrationRows, results.Select(g => (g.Sessions, g.Final)).ToList(), threads, calibratorPath);
            var signals = new Dictionary<string, TreeSignals>(StringComparer.Ordinal);
            var trainSignalFold = new int[outOfFold ? train.Rows : 0];
            if (outOfFold) signals[train.Name] = OutOfFoldSignals(problem, results, trainSignalFold, threads);
            foreach (var split in new[] { validation }.Concat(problem.Others))
                signals[split.Name] = FinalSignals(split, results, calibrators, threads);
            return new GbdtStageResult(options, results, calibrators, signals, trainSignalFold, calibrationStart, calibrationRows);
        }
        catch
        {
            foreach (var group in results) group.Dispose();
            throw;
        }
    }

    /// <summary>Every session scored anywhere needs training rows (hence a model and a calibrator).</summary>
    private static void RequireTrainedSessions(GbdtProblem problem, string[] trained, string calibratorPath)
    {
        var available = trained.Select(s => $"{s}/{Bucket}").ToArray();
        foreach (var split in new[] { problem.Validation }.Concat(problem.Others))
            foreach (var session in split.Sessions.Distinct().Order(StringComparer.Ordinal))
                if (!trained.Contains(session, StringComparer.Ordinal))
                    throw new MissingCalibratorException(session, Bucket, calibratorPath, available);
    }

    private static void CheckSession(GbdtProblem problem, string session, bool[] calibrationRows, GbdtStageOptions options)
    {
        var trainRows = problem.Train.RowsOf(session);
        var trainPositives = trainRows.Count(i => problem.Train.Labels[i] == 1);
        var source = $"split '{problem.Train.Name}'";
        if (trainRows.Length < options.MinTrainRows)
            throw new DataException(source, null, "session", "too-few-rows", $"session '{session}' has {trainRows.Length} training rows, at least {options.MinTrainRows} are needed.");
        if (trainPositives == 0 || trainPositives == trainRows.Length)
            throw new DataException(source, null, "y_direction", "single-class", $"session '{session}' has a single class in training ({trainPositives} of {trainRows.Length} positive).");
        var validationRows = problem.Validation.RowsOf(session);
        foreach (var (part, inPart) in new[] { ("early-stopping", false), ("calibration", true) })
        {
            var rows = validationRows.Where(i => calibrationRows[i] == inPart).ToArray();
            var positives = rows.Count(i => problem.Validation.Labels[i] == 1);
            if (positives < options.MinClassRowsPerPart || rows.Length - positives < options.MinClassRowsPerPart)
                throw new DataException($"split '{problem.Validation.Name}'", null, "y_direction", "too-few-rows",
                    $"session '{session}', bucket '{Bucket}': the {part} part of validation has {positives} positive and {rows.Length - positives} negative rows, " +
                    $"at least {options.MinClassRowsPerPart} of each are needed to {(inPart ? "fit its calibrator" : "early-stop its model")}.");
        }
    }

    /// <summary>The time from which the latest <paramref name="fraction"/> of validation rows fit the calibrators.</summary>
    internal static long CalibrationStart(GbdtSamples validation, double fraction)
    {
        var times = validation.Times.Order().ToArray();
        if (times.Length < 2) throw new DataException($"split '{validation.Name}'", "too-few-rows", $"validation has {times.Length} rows.");
        var cut = Math.Clamp((int)Math.Round(times.Length * (1 - fraction)), 1, times.Length - 1);
        var start = times[cut];
        if (start == times[0])
            throw new DataException($"split '{validation.Name}'", "too-few-rows", "validation has a single decision time; it cannot be cut into early-stopping and calibration parts.");
        return start;
    }

    private static GbdtGroupResult FitGroup(
        GbdtProblem problem, GbdtStageOptions options, string name, IReadOnlyList<string> sessions,
        int[] earlyStopRows, bool[] calibrationRows, long purge, long embargo, bool outOfFold, IProgressTask task)
    {
        var train = problem.Train;
        var validation = problem.Validation;
        var inGroup = sessions.ToHashSet(StringComparer.Ordinal);
        var groupTrain = Enumerable.Range(0, train.Rows).Where(i => inGroup.Contains(train.Sessions[i])).ToArray();
        var groupStop = earlyStopRows.Where(i => inGroup.Contains(validation.Sessions[i])).ToArray();
        var stopX = validation.Select(groupStop);
        var stopY = groupStop.Select(i => validation.Labels[i]).ToArray();

        task.SetDescription($"trees {name}: final");
        var final = GbdtEnsemble.Train(train.Select(groupTrain), groupTrain.Select(i => train.Labels[i]).ToArray(),
            stopX, stopY, options.Parameters, problem.CategoricalColumns, options.EnsembleSize);
        task.Advance(1);

        var folds = new List<GbdtFoldResult>();
        if (!outOfFold) return new GbdtGroupResult(name, sessions, groupTrain, final, folds);
        try
        {
            var plan = PurgedTimeFolds.Create(groupTrain.Select(i => train.Times[i]).ToArray(), options.Folds, purge, embargo);
            var groupCalibration = Enumerable.Range(0, validation.Rows).Where(i => calibrationRows[i] && inGroup.Contains(validation.Sessions[i])).ToArray();
            foreach (var fold in plan.Folds)
            {
                task.SetDescription($"trees {name}: fold {fold.Index + 1}/{options.Folds}");
                var foldTrain = fold.Train.Select(j => groupTrain[j]).ToArray();
                var heldOut = fold.HeldOut.Select(j => groupTrain[j]).ToArray();
                var models = GbdtEnsemble.Train(train.Select(foldTrain), foldTrain.Select(i => train.Labels[i]).ToArray(),
                    stopX, stopY, options.Parameters, problem.CategoricalColumns, options.EnsembleSize);
                SessionCalibratorSet calibrators;
                try
                {
                    calibrators = FitCalibrators(options.Calibration, validation, groupCalibration,
                        [(sessions, models)], options.Parameters.Threads,
                        $"fold {fold.Index} of group {name}");
                }
                catch
                {
                    models.Dispose();
                    throw;
                }
                folds.Add(new GbdtFoldResult(fold.Index, fold.HeldOutStart, fold.HeldOutEnd, foldTrain, heldOut, fold.Purged, fold.Embargoed, models, calibrators));
                task.Advance(1);
            }
        }
        catch
        {
            final.Dispose();
            foreach (var fold in folds) fold.Dispose();
            throw;
        }
        return new GbdtGroupResult(name, sessions, groupTrain, final, folds);
    }

    /// <summary>One calibrator per session, fitted on the mean margin of that session's ensemble over <paramref name="rows"/>.</summary>
    private static SessionCalibratorSet FitCalibrators(
        CalibrationMethod method, GbdtSamples validation, int[] rows,
        IReadOnlyList<(IReadOnlyList<string> Sessions, GbdtEnsemble Models)> groups, int threads, string source)
    {
        var calibrators = new Dictionary<(string, string), ICalibrator>();
        foreach (var (sessions, models) in groups)
        {
            foreach (var session in sessions)
            {
                var sessionRows = rows.Where(i => validation.Sessions[i] == session).ToArray();
                var scores = models.PredictMeanMargin(validation.Select(sessionRows), threads);
                var labels = sessionRows.Select(i => validation.Labels[i]).ToArray();
                calibrators[(session, Bucket)] = CalibratorTrainer.Fit(method, scores, labels);
            }
        }
        return new SessionCalibratorSet(method, calibrators, source);
    }

    private static TreeSignals OutOfFoldSignals(GbdtProblem problem, IReadOnlyList<GbdtGroupResult> groups, int[] signalFold, int threads)
    {
        var train = problem.Train;
        var signals = TreeSignals.Allocate(train.Rows);
        Array.Fill(signalFold, -1);
        foreach (var group in groups)
        {
            foreach (var fold in group.Folds)
            {
                var margins = fold.Models.PredictMargins(train.Select(fold.HeldOutRows), threads);
                for (var j = 0; j < fold.HeldOutRows.Length; j++)
                {
                    var row = fold.HeldOutRows[j];
                    signals.Fill(row, margins, fold.Calibrators.Get(train.Sessions[row], Bucket), j);
                    signalFold[row] = fold.Index;
                }
            }
        }
        var missing = Array.IndexOf(signalFold, -1);
        if (missing >= 0)
            throw new InvalidOperationException($"Training row {missing} was held out by no fold.");
        return signals;
    }

    private static TreeSignals FinalSignals(GbdtSamples split, IReadOnlyList<GbdtGroupResult> groups, SessionCalibratorSet calibrators, int threads)
    {
        calibrators.Require(split.Sessions, Bucket);
        var signals = TreeSignals.Allocate(split.Rows);
        foreach (var group in groups)
        {
            var inGroup = group.Sessions.ToHashSet(StringComparer.Ordinal);
            var rows = Enumerable.Range(0, split.Rows).Where(i => inGroup.Contains(split.Sessions[i])).ToArray();
            if (rows.Length == 0) continue;
            var margins = group.Final.PredictMargins(split.Select(rows), threads);
            for (var j = 0; j < rows.Length; j++)
                signals.Fill(rows[j], margins, calibrators.Get(split.Sessions[rows[j]], Bucket), j);
        }
        return signals;
    }
}
