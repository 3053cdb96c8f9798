using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kairos.Serve;

/// <summary><c>/readyz</c>: unhealthy (503) until warm-up is done and every symbol is past its feature warm-up, and again while draining.</summary>
internal sealed class ReadinessCheck(ServeEngine engine) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(engine.IsReady
            ? HealthCheckResult.Healthy("every symbol is warm")
            : HealthCheckResult.Unhealthy(engine.IsServing ? "a symbol is still in its feature warm-up" : "warming up or shutting down"));
}
