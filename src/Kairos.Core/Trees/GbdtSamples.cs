namespace Kairos.Trees;

/// <summary>
/// One split of a dataset as the trees see it: decision times, the session of each row, the feature
/// matrix and the 0/1 direction labels, row for row.
/// </summary>
public sealed class GbdtSamples
{
    public GbdtSamples(string name, long[] times, string[] sessions, FeatureMatrix features, int[] labels)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var n = features.Rows;
        if (times.Length != n || sessions.Length != n || labels.Length != n)
            throw new ArgumentException($"Split '{name}': times ({times.Length}), sessions ({sessions.Length}), features ({n}) and labels ({labels.Length}) differ in length.");
        Name = name;
        Times = times;
        Sessions = sessions;
        Features = features;
        Labels = labels;
    }

    public string Name { get; }

    /// <summary>Decision time of each row (open time of the decision bar, Unix seconds UTC).</summary>
    public long[] Times { get; }

    /// <summary>Session name of each row (e.g. EU, OVERLAP, US).</summary>
    public string[] Sessions { get; }

    public FeatureMatrix Features { get; }

    public int[] Labels { get; }

    public int Rows => Labels.Length;

    /// <summary>Row indexes of <paramref name="session"/>, in row order.</summary>
    public int[] RowsOf(string session)
    {
        var rows = new List<int>();
        for (var i = 0; i < Sessions.Length; i++)
            if (Sessions[i] == session) rows.Add(i);
        return rows.ToArray();
    }

    /// <summary>A new split named <paramref name="name"/> holding the given rows, in the given order.</summary>
    public GbdtSamples Take(string name, IReadOnlyList<int> rows) =>
        new(name, rows.Select(i => Times[i]).ToArray(), rows.Select(i => Sessions[i]).ToArray(), Features.Take(rows), rows.Select(i => Labels[i]).ToArray());
}
