using System.Diagnostics;
using System.Globalization;
using Kairos.Search;
using Kairos.Search.Pruners;
using Kairos.Search.Samplers;
using Kairos.Search.Storage;

namespace Kairos.Bench;

/// <summary>
/// <c>search [--trials N] [--work-ms M] [--work-trials K] [--postgres URI]</c>: what a study costs.
/// (1) N trials of a one-parameter quadratic (Optuna's usual overhead benchmark) with TPE and with the
/// random sampler on SQLite (and PostgreSQL when given): wall time and ms per trial, the random
/// sampler isolating storage coordination from TPE's model. (2) K trials whose objective sleeps M ms
/// (a stand-in for training) with 1 and 2 workers (threads, each with its own storage connections,
/// as separate processes would): trials per minute and per-trial coordination overhead.
/// PostgreSQL figures need a server: <c>--postgres postgres://user@127.0.0.1:5432/db</c> (an empty database).
/// </summary>
public static class SearchBenchmark
{
    public static int Run(string[] args)
    {
        var trials = IntOption(args, "--trials", 1000);
        var workMs = IntOption(args, "--work-ms", 100);
        var workTrials = IntOption(args, "--work-trials", 60);
        var postgres = StringOption(args, "--postgres");
        var dir = Path.Combine(Path.GetTempPath(), "kairos-bench-search-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        Console.WriteLine($"load      {BenchArgs.Load(", ")} (1, 5, 15 min), {Environment.ProcessorCount} cores");
        try
        {
            var backends = new List<(string Name, Func<string, string> Location)>
            {
                ("sqlite", name => "sqlite:" + Path.Combine(dir, name + ".db")),
            };
            if (postgres is not null) backends.Add(("postgres", _ => postgres));

            Console.WriteLine($"\n(1) {trials} trials, objective (x - 2)^2, x in [-10, 10], one worker");
            foreach (var (name, location) in backends)
                foreach (var sampler in new[] { SamplerKind.Tpe, SamplerKind.Random })
                {
                    var study = $"overhead-{sampler}-{Guid.NewGuid():N}"[..24];
                    var (elapsed, _) = RunWorkers(location(study), study, sampler, trials, 1, 0);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {name,-8} {sampler.ToString().ToLowerInvariant(),-6} {elapsed,8:F2} s   {elapsed * 1000 / trials,7:F2} ms/trial"));
                }

            Console.WriteLine($"\n(2) {workTrials} trials, objective sleeps {workMs} ms, TPE");
            foreach (var (name, location) in backends)
                foreach (var workers in new[] { 1, 2 })
                {
                    var study = $"work-{workers}-{Guid.NewGuid():N}"[..20];
                    var (elapsed, perWorker) = RunWorkers(location(study), study, SamplerKind.Tpe, workTrials, workers, workMs);
                    var perTrial = elapsed * workers / workTrials * 1000;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {name,-8} {workers} worker(s) {elapsed,7:F2} s   {workTrials / elapsed * 60,7:F1} trials/min   " +
                        $"overhead {perTrial - workMs,6:F2} ms/trial   trials per worker {string.Join("/", perWorker)}"));
                }
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static (double Seconds, int[] PerWorker) RunWorkers(string location, string name, SamplerKind sampler, int trials, int workers, int workMs)
    {
        var options = new StudyOptions { Seed = 1, Sampler = sampler, Pruner = new PrunerOptions { Kind = PrunerKind.None } };
        using (var setup = StudyStorage.Open(location))
        {
            var record = setup.CreateOrLoadStudy(name, options, DateTimeOffset.UtcNow);
            setup.EnsureTargetTrials(record.StudyId, trials);
        }
        var perWorker = new int[workers];
        var sw = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, workers).Select(w => new Thread(() =>
        {
            using var storage = StudyStorage.Open(location);
            var study = Study.Load(storage, name);
            var report = study.Work(t =>
            {
                var x = t.SuggestFloat("x", -10, 10);
                if (workMs > 0) Thread.Sleep(workMs);
                return (x - 2) * (x - 2);
            }, Study.NewWorkerId());
            perWorker[w] = report.TrialsRun;
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return (sw.Elapsed.TotalSeconds, perWorker);
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string? StringOption(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
