using System.CommandLine;
using System.Globalization;
using Kairos.Bundles;
using Kairos.Deep.Bundles;
using Kairos.Deep.Runtime;
using Kairos.Onnx.Runtime;
using Spectre.Console;

namespace Kairos.Cli.Commands;

/// <summary><c>kairos bench latency</c>: per-bar inference latency of a bundle, written into its model card.</summary>
public static class BenchCommands
{
    public static Command Build() => new("bench", "Measure Kairos on this machine.")
    {
        BuildLatency(),
        BenchTrainCommand.Build(),
        BenchPretrainingCommand.Build(),
        BenchServeCommand.Build(),
    };

    private static Command BuildLatency()
    {
        var bundleDir = new Option<string>("--bundle") { Description = "Bundle directory.", Required = true };
        var samples = SettingOption.Create(BundleLatencyOptions.Settings.Samples);
        var warmUp = SettingOption.Create(BundleLatencyOptions.Settings.WarmUp);
        var noWrite = new Option<bool>("--no-write") { Description = "Only print; do not write the measurement into the bundle's model card." };
        var dataset = new Option<string?>("--dataset") { Description = "Dataset built under the bundle's feature contract (e.g. the trees stage's enriched copy) whose rows are the inputs; without it, inputs are drawn from the contract's train statistics." };
        var pause = new Option<int>("--pause-ms") { Description = "Idle milliseconds before each measured call, as a live process waits for the next bar (0: back to back).", DefaultValueFactory = _ => 0 };
        var split = new Option<string>("--split") { Description = "Split of --dataset to read.", DefaultValueFactory = _ => "test" };
        var engine = new Option<string>("--engine") { Description = "What computes the hybrid forward: managed (the .NET SIMD kernel over the model's weights), libtorch (the model's own forward on a batch of one) or onnx (the model exported to ONNX, in ONNX Runtime on one thread).", DefaultValueFactory = _ => "managed" };
        engine.AcceptOnlyFromAmong("managed", "libtorch", "onnx");
        var latency = new Command("latency", "Single-sample, single-thread, warm inference latency per bar (feature vector -> trees -> calibration -> hybrid forward): p50/p95/p99/mean, written into the model card.")
        {
            bundleDir, samples, warmUp, noWrite, dataset, split, pause, engine,
        };
        CliAction.Set(latency, (parse, ctx) =>
        {
            var directory = parse.GetValue(bundleDir)!;
            var bundle = Bundle.Open(directory, new BundleVerifyOptions { ContractAuthority = RunningFeatureContract.Instance });
            var options = new BundleLatencyOptions
            {
                Samples = parse.GetValue(samples), WarmUp = parse.GetValue(warmUp), Dataset = parse.GetValue(dataset), Split = parse.GetValue(split)!, PauseMs = parse.GetValue(pause),
            };
            TorchRuntime.ConfigureThreads(1);
            using IHybridLatencyModel hybrid = parse.GetValue(engine) switch
            {
                "onnx" => OnnxHybridModel.FromBundle(bundle),
                "libtorch" => HybridLatencyModel.Open(bundle, HybridInferenceEngine.Libtorch),
                _ => HybridLatencyModel.Open(bundle, HybridInferenceEngine.Managed),
            };
            var measurement = BundleLatencyBenchmark.Run(bundle, hybrid, options, TimeProvider.System);
            var written = false;
            if (!parse.GetValue(noWrite))
            {
                BundleBuilder.ReplaceCard(bundle.Directory, c => c with { LatencyMs = measurement.FullPathMs, LatencyDetail = measurement.Detail }, RunningFeatureContract.Instance);
                written = true;
            }
            if (ctx.Json)
            {
                ctx.WriteJson(new { bundle.Directory, measurement.FullPathMs, measurement.Detail, WrittenToCard = written, FullPathMeasured = measurement.FullPathMs is not null });
                return ExitCodes.Ok;
            }
            var table = new Table().Title(Markup.Escape($"bundle {bundle.Metadata.BundleId}: latency per bar (µs)"))
                .AddColumn("stage").AddColumn(new TableColumn("mean").RightAligned()).AddColumn(new TableColumn("p50").RightAligned())
                .AddColumn(new TableColumn("p95").RightAligned()).AddColumn(new TableColumn("p99").RightAligned()).AddColumn(new TableColumn("max").RightAligned())
                .AddColumn(new TableColumn("p99 target").RightAligned()).AddColumn("met")
                .AddColumn(new TableColumn("cpu p50").RightAligned()).AddColumn(new TableColumn("cpu p99").RightAligned())
                .AddColumn(new TableColumn("preempted").RightAligned()).AddColumn(new TableColumn("GCs").RightAligned());
            foreach (var s in measurement.Detail.Stages)
                table.AddRow(s.Name, F(s.MeanUs), F(s.P50Us), F(s.P95Us), F(s.P99Us), F(s.MaxUs), s.TargetP99Us is { } t ? F(t) : "",
                    s.MeetsTarget switch { true => "[green]yes[/]", false => "[red]no[/]", null => "" },
                    s.CpuP50Us is { } c50 ? F(c50) : "?", s.CpuP99Us is { } c99 ? F(c99) : "?",
                    s.PreemptedCalls?.ToString(CultureInfo.InvariantCulture) ?? "?", s.GcCollections?.ToString(CultureInfo.InvariantCulture) ?? "?");
            ctx.Console.Write(table);
            var machine = measurement.Detail.Machine;
            ctx.Console.MarkupLine(Markup.Escape($"{measurement.Detail.Inputs}; hybrid forward: {measurement.Detail.Engine}"));
            ctx.Console.MarkupLine(Markup.Escape($"{machine.ProcessorCount} cores, load average {Load(machine.LoadAverage1m)} -> {Load(machine.LoadAverage1mAfter)}, {machine.Runtime}; " +
                "wall clock includes time the thread waited for a core (preempted calls); cpu = the thread's own CPU time per call"));
            if (written) ctx.Console.MarkupLine("written into " + Markup.Escape(Path.Combine(bundle.Directory, BundleFormat.ModelCardFile)));
            return ExitCodes.Ok;
        });
        return latency;
    }

    private static string Load(double? value) => value?.ToString("0.00", CultureInfo.InvariantCulture) ?? "?";

    private static string F(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
