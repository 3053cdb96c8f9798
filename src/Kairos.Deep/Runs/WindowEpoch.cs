using System.Globalization;
using Kairos.Progress;
using static TorchSharp.torch;

namespace Kairos.Deep.Runs;

/// <summary>
/// One training epoch over a split of windows in a seeded random order (<see cref="TrainingDevice.EpochSeed"/>): the
/// loop the LSTM classifier and the pretrainers share. Each step takes the next <c>batch_size</c> rows of the order and
/// the learning rate of the schedule at the global step, and hands them to the trainer's own optimiser step; the loop
/// keeps the tally (row-weighted mean loss, gradient norms, first and last loss), the progress, the log line every
/// <c>log_every</c> steps and the <c>StopAfterSteps</c> stop.
/// </summary>
internal static class WindowEpoch
{
    /// <summary>One optimiser step on <c>Rows</c> (indices into the split) at learning rate <c>Lr</c>: returns the batch's loss and gradient norm.</summary>
    public delegate (double Loss, double GradNorm) BatchStep(Tensor rows, int step, long globalStep, double lr);

    public static EpochPass Train(SequenceTrainingOptions o, long count, Device device, int epoch, long globalStep, int stepsPerEpoch,
        LearningRateSchedule schedule, BatchStep batchStep, Func<double, HeadLosses> losses, string lossName,
        TrainingLog log, IProgressSink progress, TimeProvider time, CancellationToken cancellation)
    {
        using var shuffle = new Generator(TrainingDevice.EpochSeed(o.Seed, epoch));
        using var permutation = randperm(count, generator: shuffle);
        using var order = permutation.to(device);
        double sum = 0, gradSum = 0, gradMax = 0, first = double.NaN, last = double.NaN;
        using var task = progress.Start($"epoch {epoch}/{o.Epochs}", stepsPerEpoch);
        var started = time.GetTimestamp();
        for (var step = 1; step <= stepsPerEpoch; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var start = (long)(step - 1) * o.BatchSize;
            var length = Math.Min(o.BatchSize, count - start);
            var lr = schedule.At(globalStep);
            var (value, norm) = batchStep(order.narrow(0, start, length), step, globalStep, lr);
            sum += value * length;
            gradSum += norm;
            gradMax = Math.Max(gradMax, norm);
            if (double.IsNaN(first)) first = value;
            last = value;
            globalStep++;
            task.Advance(1);
            if (o.LogEvery > 0 && globalStep % o.LogEvery == 0)
                log.Line(string.Create(CultureInfo.InvariantCulture,
                    $"epoch {epoch} step {step}/{stepsPerEpoch} | {lossName} {value:F5} | grad {norm:F3} | lr {lr:E2} | {step * (double)o.BatchSize / time.GetElapsedTime(started).TotalSeconds:F0} windows/s"));
            if (o.StopAfterSteps is { } stopAt && globalStep >= stopAt)
                throw new OperationCanceledException($"stopped after {globalStep} optimiser steps as requested");
        }
        return new EpochPass(losses(sum / count), gradSum / stepsPerEpoch, gradMax, time.GetElapsedTime(started).TotalSeconds, first, last, globalStep, stepsPerEpoch);
    }
}
