using Kairos.Deep.Runs;
using Kairos.Threading;

namespace Kairos.Deep.Lstm;

/// <summary>
/// Training and evaluation throughput of the LSTM classifier (<see cref="LstmTrainer"/>, random initialisation) measured as the
/// hybrid's and the TFT's are (<see cref="TrainingBenchmark"/>), on synthetic windows of the hybrid's design-scale sequence
/// input (L 30, 16 features: the LSTM reads the window only, none of the snapshot, context or tree-signal inputs).
/// </summary>
public static class LstmTrainingBenchmark
{
    /// <summary>The design scale's window: L 30 bars of 16 sequence features.</summary>
    public const int Length = 30;

    /// <inheritdoc cref="Length"/>
    public const int Features = 16;

    /// <summary>Runs the benchmark; <paramref name="steps"/> optimiser steps per measured epoch.</summary>
    public static TrainingBenchmarkResult Run(BiLstmEncoderOptions encoder, int batchSize, int steps, ThreadSetting threads, TimeProvider time)
    {
        var trainCount = (long)batchSize * steps;
        var options = new LstmTrainerOptions
        {
            Training = new SequenceTrainingOptions { Epochs = 2, BatchSize = batchSize, LogEvery = 0, EarlyStoppingPatience = 0, Threads = threads },
            Encoder = encoder with { InputSize = Features },
        };
        return TrainingBenchmark.Measure("lstm", batchSize, (Length, Features, 0), run =>
        {
            using var data = SyntheticSequenceData.Create(trainCount, Math.Max(4096, trainCount), Length, seed: 7, features: Features);
            var result = new LstmTrainer(options, time).Train(data, pretrained: null, run, resume: false);
            using var generator = new TorchSharp.torch.Generator(1);
            using var built = LstmPredictor.Build(result.Model, generator);
            return (result.Metrics, $"lstm (hidden {encoder.HiddenSize} x 2 directions, {encoder.Layers} layer(s), head {options.HeadHidden})", built.parameters().Sum(p => p.numel()));
        });
    }
}
