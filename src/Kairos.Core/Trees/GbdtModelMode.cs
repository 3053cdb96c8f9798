namespace Kairos.Trees;

/// <summary>How the trees treat trading sessions.</summary>
public enum GbdtModelMode
{
    /// <summary>One model per session, trained on that session's rows only (the default).</summary>
    PerSession,

    /// <summary>One model for all sessions, with <c>session_id</c> as a categorical feature.</summary>
    Pooled,
}
