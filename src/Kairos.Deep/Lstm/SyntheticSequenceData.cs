using Kairos.Features;
using static TorchSharp.torch;

namespace Kairos.Deep.Lstm;

/// <summary>
/// Windows of the relative transform's shape with learnable structure: smooth (AR(1)) features, so hidden
/// positions can be reconstructed from their neighbours, and a direction label planted in the last bars.
/// For benchmarks (speed does not depend on values) and unit tests of the trainers; never a substitute for a real dataset.
/// </summary>
public static class SyntheticSequenceData
{
    public static SequenceTrainingData Create(long trainCount, long validationCount, int length, long seed, int features = RelativeTransform.Width)
    {
        using var generator = new Generator(unchecked((ulong)seed));
        var names = features == RelativeTransform.Width ? RelativeTransform.FeatureNames.ToList() : Enumerable.Range(0, features).Select(i => $"f_{i}").ToList();
        var info = new SequenceDatasetInfo($"synthetic-{seed}", null, "synthetic0000000", null, names, length,
            Enumerable.Repeat(0.0, features).ToList(), Enumerable.Repeat(1.0, features).ToList());
        var train = Split("train", trainCount);
        return new SequenceTrainingData(train, validationCount > 0 ? Split("val", validationCount) : null, info);

        SequenceTensors Split(string name, long n)
        {
            using var scope = NewDisposeScope();
            var noise = randn([n, length, features], generator: generator);
            var steps = new Tensor[length];
            steps[0] = noise.select(1, 0);
            for (var t = 1; t < length; t++) steps[t] = steps[t - 1] * 0.8 + noise.select(1, t) * 0.6;
            var windows = stack(steps, 1);
            var signal = windows.narrow(1, length - 3, 3).select(2, 3).sum(1) + randn([n], generator: generator) * 0.5;
            var direction = signal.gt(0).to(ScalarType.Float32);
            return new SequenceTensors(name, windows.contiguous().MoveToOuterDisposeScope(), direction.MoveToOuterDisposeScope());
        }
    }
}
