using Kairos.Trees.Native;

namespace Kairos.Trees;

/// <summary>
/// LightGBM keeps one thread count for the whole process (<c>OMP_SET_NUM_THREADS</c>: every call with a
/// <c>num_threads</c> parameter sets it), sizes per-thread buffers by it (a prediction's, a dataset's push buffers, a
/// booster's) and runs its parallel regions on it. A call whose buffers were sized for one thread while another thread's
/// call raised the count to two writes out of bounds: the process crashes (seen with concurrent trees runs, and with a
/// one-thread prediction beside a two-thread training in one test process). So every LightGBM call that sizes buffers or
/// runs a parallel region holds this gate, saying the count it runs on (<see cref="Shared"/>): calls on the same count run
/// concurrently, a call on another count waits until they are done, and each holder sets the count before its call, so a
/// booster's next call runs on its own count whatever ran in between. Making and filling a dataset excludes every other
/// call (<see cref="Exclusive"/>). Without concurrency in the process the gate is an uncontended lock.
/// </summary>
internal static class LightGbmThreadGate
{
    private static readonly object Sync = new();
    private static int _holders;
    private static int _threads;
    private static bool _exclusive;
    private static int _exclusiveWaiting;
    private static int _waiting;
    // The count LightGBM runs on now, as the gate last set it (every call under the gate that sets it sets the holder's
    // count); -1 when unknown (a dataset's parameters set it while the gate was held exclusively).
    private static int _current = -1;

    // What this thread holds: 0 nothing, -1 the exclusive gate, n + 1 the shared gate on n threads. LightGBM calls do not
    // nest: a second call on a thread that holds the gate is a bug (it could wait for itself).
    [ThreadStatic] private static int _held;

    /// <summary>Calls waiting for the gate (for tests).</summary>
    internal static int Waiting
    {
        get
        {
            lock (Sync) return _waiting + _exclusiveWaiting;
        }
    }

    /// <summary>
    /// Held while a LightGBM call that runs on <paramref name="threads"/> threads (0: OpenMP's default) runs; on return the
    /// process-wide count is <paramref name="threads"/> and stays so until the scope is disposed.
    /// </summary>
    public static Scope Shared(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        if (_held != 0) throw Nested();
        lock (Sync)
        {
            // A new call does not pass others that wait (for another count, or for a dataset), so none waits for ever.
            var waited = false;
            while (_exclusive || _exclusiveWaiting > 0 || _holders > 0 && (_threads != threads || !waited && _waiting > 0))
            {
                if (!waited)
                {
                    _waiting++;
                    waited = true;
                }
                Monitor.Wait(Sync);
            }
            if (waited) _waiting--;
            _holders++;
            _threads = threads;
            if (_current != threads)
            {
                LightGbmNative.SetThreadCount(threads);
                _current = threads;
            }
        }
        _held = threads + 1;
        return new Scope(exclusive: false);
    }

    /// <summary>Held while a dataset is made and filled: no other LightGBM call runs meanwhile.</summary>
    public static Scope Exclusive()
    {
        if (_held != 0) throw Nested();
        lock (Sync)
        {
            _exclusiveWaiting++;
            while (_exclusive || _holders > 0) Monitor.Wait(Sync);
            _exclusiveWaiting--;
            _exclusive = true;
            _current = -1;
        }
        _held = -1;
        return new Scope(exclusive: true);
    }

    private static void Release(bool exclusive)
    {
        _held = 0;
        lock (Sync)
        {
            if (exclusive) _exclusive = false;
            else _holders--;
            if (_waiting + _exclusiveWaiting > 0) Monitor.PulseAll(Sync);
        }
    }

    private static InvalidOperationException Nested() => new(
        $"a LightGBM call inside another on the same thread (held: {(_held < 0 ? "exclusive" : $"{_held - 1} thread(s)")})");

    public readonly struct Scope(bool exclusive) : IDisposable
    {
        public void Dispose() => Release(exclusive);
    }
}
