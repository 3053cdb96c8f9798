using Kairos.Artifacts;
using System.Text.RegularExpressions;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kairos.Deep.Runs;

/// <summary>
/// End-of-epoch checkpoints under <c>checkpoints/</c>: <c>epoch_NNNN/</c> with the model weights, the
/// optimiser state, the dropout generator's state and the <see cref="TrainingState"/>. Each is written to
/// a temporary directory and renamed, so a crash while saving leaves the previous checkpoint intact;
/// older checkpoints are removed once a newer one is in place. <c>best_model.bin</c> holds the weights of
/// the best validation epoch.
/// </summary>
public sealed partial class CheckpointStore(string directory)
{
    private const string ModelFile = "model.bin";
    private const string OptimizerFile = "optimizer.bin";
    private const string GeneratorFile = "generator.bin";
    private const string StateFile = "state.json";

    public string Directory { get; } = directory;
    public string BestWeights => Path.Combine(Directory, "best_model.bin");

    public void Save(int epoch, nn.Module model, OptimizerHelper optimizer, Generator generator, TrainingState state)
    {
        var final = Path.Combine(Directory, $"epoch_{epoch:0000}");
        var temp = final + ".tmp";
        if (System.IO.Directory.Exists(temp)) System.IO.Directory.Delete(temp, true);
        System.IO.Directory.CreateDirectory(temp);
        model.save(Path.Combine(temp, ModelFile));
        optimizer.save_state_dict(Path.Combine(temp, OptimizerFile));
        using (var generatorState = generator.get_state())
            File.WriteAllBytes(Path.Combine(temp, GeneratorFile), generatorState.data<byte>().ToArray());
        RunJson.Write(Path.Combine(temp, StateFile), state);
        System.IO.Directory.Move(temp, final);
        foreach (var (older, _) in Complete().Where(c => c.Epoch < epoch))
            System.IO.Directory.Delete(older, true);
    }

    /// <summary>The latest complete checkpoint's state, or null when there is none.</summary>
    public TrainingState? LatestState()
    {
        var latest = Complete().OrderBy(c => c.Epoch).LastOrDefault();
        return latest.Path is null ? null : RunJson.Read<TrainingState>(Path.Combine(latest.Path, StateFile));
    }

    /// <summary>Restores model, optimiser and generator from the latest complete checkpoint and returns its state.</summary>
    public TrainingState Restore(nn.Module model, OptimizerHelper optimizer, Generator generator)
    {
        var latest = Complete().OrderBy(c => c.Epoch).LastOrDefault();
        if (latest.Path is null)
            throw new InvalidOperationException($"no complete checkpoint in {Directory}");
        model.load(Path.Combine(latest.Path, ModelFile));
        optimizer.load_state_dict(Path.Combine(latest.Path, OptimizerFile));
        var bytes = File.ReadAllBytes(Path.Combine(latest.Path, GeneratorFile));
        using (var state = tensor(bytes, dtype: ScalarType.Byte))
            generator.set_state(state);
        return RunJson.Read<TrainingState>(Path.Combine(latest.Path, StateFile));
    }

    public void SaveBest(nn.Module model)
    {
        AtomicFile.WriteByPath(BestWeights, temporary => model.save(temporary));
    }

    private IEnumerable<(string Path, int Epoch)> Complete() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.EnumerateDirectories(Directory)
                .Select(d => (Path: d, Match: EpochDirectory().Match(System.IO.Path.GetFileName(d))))
                .Where(d => d.Match.Success && File.Exists(System.IO.Path.Combine(d.Path, StateFile)))
                .Select(d => (d.Path, int.Parse(d.Match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)))
            : [];

    [GeneratedRegex(@"^epoch_(\d{4})$")]
    private static partial Regex EpochDirectory();
}
