namespace Kairos.Deep.Runs;

/// <summary>Linear warm-up from 0 to the base rate, then cosine decay to <c>base * minRatio</c>; a pure function of the step.</summary>
public sealed record LearningRateSchedule(double BaseRate, long WarmupSteps, long TotalSteps, double MinRatio)
{
    /// <summary>The rate used for optimiser step <paramref name="step"/> (0-based).</summary>
    public double At(long step)
    {
        if (step < WarmupSteps)
            return BaseRate * (step + 1) / WarmupSteps;
        var decaySteps = Math.Max(1, TotalSteps - WarmupSteps);
        var progress = Math.Clamp((double)(step - WarmupSteps) / decaySteps, 0, 1);
        return BaseRate * (MinRatio + (1 - MinRatio) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }
}
