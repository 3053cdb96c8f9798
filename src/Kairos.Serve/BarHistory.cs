using Kairos.Snapshots;

namespace Kairos.Serve;

/// <summary>
/// Every bar a symbol's features have seen, append-only in chunks, so that a model loaded for a hot swap can be
/// warmed up off the request path: one writer (the engine, under its lock) appends; readers read bars below a
/// count they took earlier, which never move.
/// </summary>
internal sealed class BarHistory
{
    private const int ChunkBits = 12;
    private const int ChunkSize = 1 << ChunkBits;
    private readonly List<Bar[]> _chunks = [];
    private Bar[][] _published = [];
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Add(in Bar bar)
    {
        var n = _count;
        if ((n & (ChunkSize - 1)) == 0)
        {
            _chunks.Add(new Bar[ChunkSize]);
            Volatile.Write(ref _published, _chunks.ToArray());
        }
        _chunks[n >> ChunkBits][n & (ChunkSize - 1)] = bar;
        Volatile.Write(ref _count, n + 1);
    }

    /// <summary>Bar <paramref name="i"/>, below a <see cref="Count"/> read before.</summary>
    public ref readonly Bar this[int i] => ref Volatile.Read(ref _published)[i >> ChunkBits][i & (ChunkSize - 1)];
}
