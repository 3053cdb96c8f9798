namespace Kairos.Serve;

/// <summary>The bodies the service answers with besides decisions: a refused bar, an unavailable service.</summary>
public static class ServeResponses
{
    public static object Error(BarRejection r) => new Dictionary<string, object?>
    {
        ["error"] = new Dictionary<string, object?>
        {
            ["rule"] = r.Rule,
            ["field"] = r.Field,
            ["detail"] = r.Detail,
            ["bar"] = new Dictionary<string, object?> { ["index"] = r.Index, ["time"] = r.Time, ["symbol"] = r.Symbol },
        },
    };

    public static object Unavailable(string why) => new Dictionary<string, object?> { ["error"] = new Dictionary<string, object?> { ["rule"] = "unavailable", ["detail"] = why } };
}
