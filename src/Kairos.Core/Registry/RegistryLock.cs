namespace Kairos.Registry;

/// <summary>
/// Exclusive writer lock on a registry (an open, unshared <c>registry.lock</c>). The operating system drops
/// it when the holder exits or is killed, so a crashed writer never leaves the registry locked.
/// </summary>
internal sealed class RegistryLock : IDisposable
{
    private readonly FileStream _stream;

    private RegistryLock(FileStream stream) => _stream = stream;

    public static RegistryLock Acquire(string root, TimeSpan timeout, TimeProvider time)
    {
        var path = Path.Combine(root, "registry.lock");
        var start = time.GetTimestamp();
        while (true)
        {
            try
            {
                return new RegistryLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (time.GetElapsedTime(start) < timeout)
            {
                Thread.Sleep(20);
            }
            catch (IOException e)
            {
                throw new IOException($"registry {root} is locked by another writer (waited {timeout.TotalSeconds:0} s): {e.Message}", e);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
