using Kairos.Errors;

namespace Kairos.Deep.Runs;

/// <summary>
/// Training produced a NaN or infinite loss or gradient. Names the epoch, the step and the head (or
/// gradient) where it happened and, when the batch itself carries non-finite inputs, which ones.
/// </summary>
public sealed class TrainingDivergedException : KairosException
{
    public TrainingDivergedException(int epoch, int step, long globalStep, string head, string detail)
        : base($"non-finite {head} at epoch {epoch}, step {step} (global step {globalStep}): {detail}. Training stopped; " +
               "the last good checkpoint is kept for --resume after the cause is fixed (lower --lr, check the dataset).")
    {
        Epoch = epoch;
        Step = step;
        GlobalStep = globalStep;
        Head = head;
    }

    public int Epoch { get; }
    public int Step { get; }
    public long GlobalStep { get; }
    /// <summary>The loss head (direction, early_move, quality, gate_stability) or "gradient".</summary>
    public string Head { get; }

    public override ExitCategory Category => ExitCategory.BadInput;
}
