using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;

namespace Kairos.Serve;

/// <summary>Reloads on SIGHUP and, with a registry, when polling finds that its best version changed.</summary>
internal sealed class ModelWatcher(ServeEngine engine, ServeOptions options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Kairos.Processes.SignalDisposition.RestoreDefault(System.Runtime.InteropServices.PosixSignal.SIGHUP);
        using var hup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            if (engine.IsServing)
                _ = engine.ReloadAsync("SIGHUP", stoppingToken).ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        });
        if (options.Registry is null || options.PollInterval <= TimeSpan.Zero)
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            return;
        }
        using var timer = new PeriodicTimer(options.PollInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
                if (engine.IsServing) await engine.ReloadAsync("registry poll", stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }
}
