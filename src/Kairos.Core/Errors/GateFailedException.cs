namespace Kairos.Errors;

/// <summary>A promotion gate rejected a candidate (exit code 4).</summary>
public sealed class GateFailedException : KairosException
{
    public GateFailedException(string message) : base(message) { }

    public override ExitCategory Category => ExitCategory.GateFailed;
}
