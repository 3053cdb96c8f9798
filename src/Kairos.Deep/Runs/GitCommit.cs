using System.Diagnostics;

namespace Kairos.Deep.Runs;

/// <summary>The code version for lineage: <c>git rev-parse HEAD</c> of the repository Kairos runs from.</summary>
public static class GitCommit
{
    /// <summary>The commit hash (with <c>-dirty</c> when the work tree has changes), or null outside a git work tree.</summary>
    public static string? Current(string? directory = null)
    {
        var dir = directory ?? AppContext.BaseDirectory;
        var head = Git(dir, "rev-parse HEAD");
        if (head is null || head.Length < 40) return null;
        var status = Git(dir, "status --porcelain --untracked-files=no");
        return string.IsNullOrEmpty(status) ? head : head + "-dirty";
    }

    private static string? Git(string dir, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("git", arguments)
            {
                WorkingDirectory = dir,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
