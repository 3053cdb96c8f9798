namespace Kairos.Trees;

/// <summary>
/// LightGBM keeps one thread count for the whole process (<c>OMP_SET_NUM_THREADS</c>: every call with a
/// <c>num_threads</c> parameter sets it) and sizes a dataset's per-thread push buffers by it when the dataset is made.
/// A dataset filled by <c>LGBM_DatasetPushRows</c> after another thread raised the count is written out of bounds
/// (a segmentation fault, seen with concurrent trees runs in one process). So making and filling a dataset
/// (<see cref="Exclusive"/>) excludes every other call that can set the count (<see cref="Shared"/>); those still run
/// concurrently with each other, as before. Without concurrency in the process the gate is an uncontended lock.
/// </summary>
internal static class LightGbmThreadGate
{
    private static readonly ReaderWriterLockSlim Gate = new(LockRecursionPolicy.SupportsRecursion);

    /// <summary>Held while a call that may set the thread count runs: no dataset is made or filled meanwhile.</summary>
    public static Scope Shared()
    {
        Gate.EnterReadLock();
        return new Scope(exclusive: false);
    }

    /// <summary>Held while a dataset is made and filled: no other LightGBM call can set the thread count meanwhile.</summary>
    public static Scope Exclusive()
    {
        Gate.EnterWriteLock();
        return new Scope(exclusive: true);
    }

    public readonly struct Scope(bool exclusive) : IDisposable
    {
        public void Dispose()
        {
            if (exclusive) Gate.ExitWriteLock();
            else Gate.ExitReadLock();
        }
    }
}
