using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kairos.Serve;

/// <summary><c>/healthz</c>: healthy while the process serves; degraded (still 200) when a symbol's feed is stale.</summary>
internal sealed class FeedHealthCheck(ServeEngine engine) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = engine.Status();
        var stale = status.Symbols.Where(s => s.Stale).Select(s => s.Symbol).ToArray();
        return Task.FromResult(stale.Length > 0
            ? HealthCheckResult.Degraded($"stale feed: no bar within {engine.StaleAfter} for {string.Join(", ", stale)}")
            : HealthCheckResult.Healthy(status.Status));
    }
}
