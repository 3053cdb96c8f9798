using System.CommandLine;
using Kairos.Cli;

namespace Kairos.Tests.Cli;

/// <summary>
/// The CLI invoked in this process: the same command tree <c>kairos</c> builds, with standard output and error
/// captured by the invocation's writers and a caller's cancellation token. For commands whose behaviour does not
/// depend on being a separate process (signals, exit, native library loading are what <see cref="KairosCli"/> is for).
/// </summary>
internal static class InProcessCli
{
    public static KairosResult Run(params string[] args) => Run(args, CancellationToken.None);

    public static KairosResult Run(string[] args, CancellationToken cancellation)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = KairosCommand.Build().Parse(args)
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null }, cancellation)
            .GetAwaiter().GetResult();
        return new KairosResult(code, output.ToString(), error.ToString());
    }
}
