using Kairos.Errors;

namespace Kairos.Deep.Runtime;

/// <summary>
/// libtorch / TorchSharp could not be loaded on this machine. The message says why and what to do
/// (see DEVELOPERS.md, "TorchSharp on older Linux").
/// </summary>
public sealed class TorchUnavailableException : KairosException
{
    public TorchUnavailableException(string message, Exception? inner = null) : base(message, inner) { }

    public override ExitCategory Category => ExitCategory.Unavailable;
}
