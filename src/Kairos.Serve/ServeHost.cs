using System.Net;
using System.Text.Json;
using Kairos.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Kairos.Serve;

/// <summary>
/// The HTTP service on Kestrel with the generic host: <c>POST /v1/bars</c>, <c>POST /v1/reload</c>, <c>GET /v1/status</c>,
/// <c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c>. The engine is created (model verified) before anything listens;
/// warm-up runs once the server has started (<c>/readyz</c> answers 503 meanwhile); SIGTERM drains and syncs the journal.
/// </summary>
public static class ServeHost
{
    /// <summary>Runs until SIGTERM / SIGINT (or <paramref name="cancel"/>); rethrows a failure of the warm-up.</summary>
    public static async Task RunAsync(ServeOptions options, Action<ILoggingBuilder> logging, CancellationToken cancel)
    {
        using var loggers = LoggerFactory.Create(logging);
        var log = loggers.CreateLogger("Kairos.Serve");
        var metrics = new ServeMetrics(Metrics.DefaultRegistry);
        using var engine = ServeEngine.Create(options, metrics, log, TimeProvider.System);
        var endpoint = ParseListen(options.Listen);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        logging(builder.Logging);
        builder.WebHost.ConfigureKestrel(k => k.Listen(endpoint));
        builder.Services.AddSingleton(engine);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<ModelWatcher>();
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddHealthChecks()
            .AddTypeActivatedCheck<FeedHealthCheck>("feed", null, ["live"], [])
            .AddTypeActivatedCheck<ReadinessCheck>("ready", null, ["ready"], []);
        await using var app = builder.Build();
        Map(app, engine);

        Exception? warmupFailure = null;
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            log.LogInformation("listening on {Address}", string.Join(" ", addresses));
            _ = Task.Run(() =>
            {
                try
                {
                    engine.WarmUp(lifetime.ApplicationStopping);
                    log.LogInformation("serving: warm-up done, ready {Ready}", engine.IsReady);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    warmupFailure = e;
                    log.LogCritical(e, "warm-up failed: {Message}", e.Message);
                    lifetime.StopApplication();
                }
            });
        });
        lifetime.ApplicationStopping.Register(() =>
        {
            log.LogInformation("stopping: draining");
            engine.Drain();
        });
        await app.StartAsync(cancel).ConfigureAwait(false);
        await app.WaitForShutdownAsync(cancel).ConfigureAwait(false);
        engine.Drain();
        if (warmupFailure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(warmupFailure).Throw();
    }

    private static void Map(WebApplication app, ServeEngine engine)
    {
        app.MapHealthChecks("/healthz", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = c => c.Tags.Contains("live") });
        app.MapHealthChecks("/readyz", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.MapMetrics("/metrics");
        app.MapGet("/v1/status", () => Json(engine.Status(), StatusCodes.Status200OK));
        app.MapPost("/v1/bars", async (HttpRequest request) =>
        {
            BarsRequest? body;
            try
            {
                body = await JsonSerializer.DeserializeAsync<BarsRequest>(request.Body, ServeJson.Options, request.HttpContext.RequestAborted).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                return Json(ServeResponses.Error(new BarRejection("unparsable-json", null, e.Message, 0, null, null)), StatusCodes.Status400BadRequest);
            }
            var result = engine.Submit(body?.Symbol, body?.Bars);
            if (result.Unavailable is { } why) return Json(ServeResponses.Unavailable(why), StatusCodes.Status503ServiceUnavailable);
            if (result.Rejection is { } r) return Json(ServeResponses.Error(r), StatusCodes.Status422UnprocessableEntity);
            return Json(new Dictionary<string, object> { ["decisions"] = result.Decisions! }, StatusCodes.Status200OK);
        });
        app.MapPost("/v1/reload", async (HttpContext context) =>
        {
            if (!engine.IsServing) return Json(ServeResponses.Unavailable("warming up or shutting down"), StatusCodes.Status503ServiceUnavailable);
            var result = await engine.ReloadAsync("POST /v1/reload", context.RequestAborted).ConfigureAwait(false);
            return Json(result, result.Outcome == ReloadResult.Refused ? StatusCodes.Status409Conflict : StatusCodes.Status200OK);
        });
    }

    private static IResult Json(object value, int status) =>
        Results.Text(JsonSerializer.Serialize(value, value.GetType(), ServeJson.Options), "application/json", System.Text.Encoding.UTF8, status);

    /// <summary><c>HOST:PORT</c> (HOST an IP address, <c>localhost</c> or <c>*</c>); a bad value is a <see cref="ConfigException"/>.</summary>
    public static IPEndPoint ParseListen(string listen)
    {
        var colon = listen.LastIndexOf(':');
        if (colon > 0 && int.TryParse(listen.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port <= 65535)
        {
            var host = listen[..colon].Trim('[', ']');
            if (host == "*") return new IPEndPoint(IPAddress.Any, port);
            if (host == "localhost") return new IPEndPoint(IPAddress.Loopback, port);
            if (IPAddress.TryParse(host, out var address)) return new IPEndPoint(address, port);
        }
        throw new ConfigException("serve", [$"--listen '{listen}' is not HOST:PORT with an IP address, localhost or * (for example 127.0.0.1:8080)"]);
    }
}
