using Kairos.Bundles;

namespace Kairos.Tests.Bundles;

internal static class LatencyFixtures
{
    public static LatencyMeasurement Measurement(double p99Ms) => new(
        new ModelCardLatency { Mean = p99Ms / 2, P50 = p99Ms / 3, P95 = p99Ms * 0.8, P99 = p99Ms, Samples = 100 },
        new LatencyReport
        {
            MeasuredAt = new DateTimeOffset(2026, 1, 7, 0, 0, 0, TimeSpan.Zero),
            Machine = new LatencyMachine { ProcessorCount = 2, Os = "Linux", Runtime = ".NET 10", LoadAverage1m = 1.5 },
            Stages =
            [
                new LatencyStage { Name = "trees_calibration", Samples = 100, MeanUs = 10, P50Us = 9, P95Us = 14, P99Us = 20, MaxUs = 31, TargetP99Us = 50, MeetsTarget = true },
                new LatencyStage { Name = "full_path", Samples = 100, MeanUs = p99Ms * 500, P50Us = p99Ms * 1000 / 3, P95Us = p99Ms * 800, P99Us = p99Ms * 1000, MaxUs = p99Ms * 1500, TargetP99Us = 2000, MeetsTarget = p99Ms <= 2 },
            ],
        });
}
