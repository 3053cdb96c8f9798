using Kairos.Search.Storage;
namespace Kairos.Search;

/// <summary>Refreshes a trial's lease in the background until disposed.</summary>
internal sealed class TrialHeartbeat : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private bool _disposed;

    public TrialHeartbeat(IStudyStorage storage, TrialLease lease, TimeSpan interval, TimeProvider time)
    {
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval, time);
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
                if (!storage.Heartbeat(lease)) return;
        });
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _stop.Cancel();
        try
        {
            _loop.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            // The loop was stopped while waiting for its next tick: the normal way to end.
        }
        _stop.Dispose();
    }
}
