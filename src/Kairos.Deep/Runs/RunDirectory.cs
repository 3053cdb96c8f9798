using System.Security.Cryptography;
using Kairos.Errors;

namespace Kairos.Deep.Runs;

/// <summary>
/// A training run's directory. While the run is going it lives at <c>&lt;out&gt;.partial</c> (checkpoints
/// make it resumable); when the run completes it is renamed to <c>&lt;out&gt;</c>, so a directory at the
/// final path is always a finished, immutable run.
/// </summary>
public sealed class RunDirectory
{
    private RunDirectory(string finalPath)
    {
        FinalPath = finalPath;
        WorkPath = finalPath + ".partial";
    }

    /// <summary>Where the finished run will be.</summary>
    public string FinalPath { get; }
    /// <summary>Where the run is written while it is going.</summary>
    public string WorkPath { get; }

    public string TrainConfig => Path.Combine(WorkPath, "train_config.json");
    public string Environment => Path.Combine(WorkPath, "env.json");
    public string GitCommitFile => Path.Combine(WorkPath, "git_commit.txt");
    public string Log => Path.Combine(WorkPath, "training.log");
    public string Metrics => Path.Combine(WorkPath, "metrics.json");
    public string Weights => Path.Combine(WorkPath, "model.bin");
    public string BundleMetadata => Path.Combine(WorkPath, "bundle_metadata.json");
    public string Checkpoints => Path.Combine(WorkPath, "checkpoints");

    /// <summary>Starts a new run at <paramref name="outDir"/>, or reopens an interrupted one when <paramref name="resume"/>.</summary>
    public static RunDirectory Open(string outDir, bool resume)
    {
        var run = Check(outDir, resume);
        if (!resume) Directory.CreateDirectory(run.WorkPath);
        Directory.CreateDirectory(run.Checkpoints);
        return run;
    }

    /// <summary>Checks, creating nothing, that <see cref="Open"/> would succeed; returns the paths it would use.</summary>
    public static RunDirectory Check(string outDir, bool resume)
    {
        var run = new RunDirectory(Path.GetFullPath(outDir.TrimEnd(Path.DirectorySeparatorChar)));
        if (Directory.Exists(run.FinalPath))
            throw new ConfigException("--out", [$"{run.FinalPath} already holds a finished run; runs are immutable: choose another --out"]);
        if (resume)
        {
            if (!Directory.Exists(run.WorkPath))
                throw new ConfigException("--resume", [$"no interrupted run to resume at {run.WorkPath}"]);
        }
        else
        {
            if (Directory.Exists(run.WorkPath))
                throw new ConfigException("--out", [$"an interrupted run exists at {run.WorkPath}: pass --resume to continue it, or delete it to start over"]);
        }
        return run;
    }

    /// <summary>The SHA-256 of the weights file (<see cref="Weights"/>), lower-case hex: what <c>weights_sha256</c> records.</summary>
    public string WeightsSha256() => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Weights)));

    /// <summary>The code version recorded when the run started (<see cref="GitCommitFile"/>), or null when the file is absent.</summary>
    public string? GitCommit() => File.Exists(GitCommitFile) ? File.ReadAllText(GitCommitFile).Trim() : null;

    /// <summary>Renames the finished run into place.</summary>
    public void Complete() => Directory.Move(WorkPath, FinalPath);
}
