using System.Globalization;
using Kairos.Progress;
using static TorchSharp.torch;

namespace Kairos.Deep.Runs;

/// <summary>
/// One training epoch over a batch source, the loop every deep trainer shares (the hybrid and the TFT through
/// <c>HeadsTraining</c>, the LSTM classifier, the pretrainers): the rows are visited in the epoch's seeded
/// <see cref="BlockPermutation"/> (the same order from the <c>memory</c> and the <c>disk</c> source); each step reads the
/// next <c>batch_size</c> rows of the order from the source, takes the learning rate of the schedule at the global step and
/// hands both to the trainer's own optimiser step. The loop keeps the tally (row-weighted mean of every loss term, gradient
/// norms, first and last total loss), the progress, the log line every <c>log_every</c> steps and the <c>StopAfterSteps</c> stop.
/// </summary>
internal static class WindowEpoch
{
    /// <summary>What one optimiser step measured: its loss terms (the last one the total) and the gradient norm.</summary>
    public readonly record struct StepResult(double[] Losses, double GradNorm);

    /// <summary>How a trainer's losses read: their mean terms as <see cref="HeadLosses"/>, a step's terms in the log line, the unit of the speed.</summary>
    public sealed record LossText(Func<double[], HeadLosses> Means, Func<double[], string> Step, string Unit);

    public static EpochPass Train<TSource, TBatch>(IBatchSource<TSource, TBatch> source, SequenceTrainingOptions o, int epoch, long globalStep, int stepsPerEpoch,
        LearningRateSchedule schedule, Func<TBatch, int, long, double, StepResult> batchStep, LossText text,
        TrainingLog log, IProgressSink progress, TimeProvider time, CancellationToken cancellation) where TSource : ITrainingSplit<TSource>
    {
        var count = source.Count;
        var order = BlockPermutation.Order(count, o.Seed, epoch);
        double[]? sums = null;
        double gradSum = 0, gradMax = 0, first = double.NaN, last = double.NaN;
        using var task = progress.Start($"epoch {epoch}/{o.Epochs}", stepsPerEpoch);
        var started = time.GetTimestamp();
        for (var step = 1; step <= stepsPerEpoch; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var start = (step - 1) * (long)o.BatchSize;
            var length = (int)Math.Min(o.BatchSize, count - start);
            var batch = source.Select(order.AsSpan((int)start, length));
            var lr = schedule.At(globalStep);
            var (values, norm) = batchStep(batch, step, globalStep, lr);
            sums ??= new double[values.Length];
            for (var k = 0; k < values.Length; k++) sums[k] += values[k] * length;
            gradSum += norm;
            gradMax = Math.Max(gradMax, norm);
            if (double.IsNaN(first)) first = values[^1];
            last = values[^1];
            globalStep++;
            task.Advance(1);
            if (o.LogEvery > 0 && globalStep % o.LogEvery == 0)
                log.Line(string.Create(CultureInfo.InvariantCulture,
                    $"epoch {epoch} step {step}/{stepsPerEpoch} | {text.Step(values)} | grad {norm:F3} | lr {lr:E2} | {step * (double)o.BatchSize / time.GetElapsedTime(started).TotalSeconds:F0} {text.Unit}"));
            if (o.StopAfterSteps is { } stopAt && globalStep >= stopAt)
                throw new OperationCanceledException($"stopped after {globalStep} optimiser steps as requested");
        }
        var means = (sums ?? []).Select(s => s / count).ToArray();
        return new EpochPass(text.Means(means), gradSum / stepsPerEpoch, gradMax, time.GetElapsedTime(started).TotalSeconds, first, last, globalStep, stepsPerEpoch);
    }
}
