namespace Kairos.Trees;

/// <summary>
/// A LightGBM C API call failed. Carries the call and LightGBM's own last-error message. Settings are
/// validated before they reach LightGBM (<see cref="GbdtParameters.Validate"/>), so this signals a
/// native failure rather than a user mistake.
/// </summary>
public sealed class LightGbmException : Exception
{
    public LightGbmException(string call, string nativeMessage)
        : base($"LightGBM {call} failed: {nativeMessage}")
    {
        Call = call;
        NativeMessage = nativeMessage;
    }

    /// <summary>The C API function that failed, e.g. <c>LGBM_BoosterCreate</c>.</summary>
    public string Call { get; }

    /// <summary>The text returned by <c>LGBM_GetLastError</c>.</summary>
    public string NativeMessage { get; }
}
