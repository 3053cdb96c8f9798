namespace Kairos.Replay;

/// <summary>
/// The decision window [From, To) in bar open times (Unix seconds UTC); null ends are open. Bars before
/// <see cref="From"/> only warm the predictors up; bars from <see cref="To"/> on only complete the
/// entry-quality windows of trades opened inside.
/// </summary>
public sealed record ReplayWindow(long? From, long? To)
{
    public static ReplayWindow All { get; } = new(null, null);

    public bool Contains(long time) => (From is null || time >= From) && (To is null || time < To);

    public bool IsAfter(long time) => To is not null && time >= To;
}
