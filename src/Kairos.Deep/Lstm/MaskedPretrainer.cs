using System.Globalization;
using Kairos.Deep.Runs;
using Kairos.Threading;
using TorchSharp;
using static TorchSharp.torch;

namespace Kairos.Deep.Lstm;

/// <summary>
/// <c>kairos pretrain --method masked</c>: the BiLSTM encoder trained as a masked autoencoder on training windows
/// (labels unused): each batch hides a seeded mask of positions, the loss scores the hidden positions only, and the
/// validation reconstruction loss (with fixed validation masks) drives early stopping. The run itself (checkpoints,
/// resume, NaN guard, encoder files) is <see cref="SequencePretrainer"/>'s.
/// </summary>
public sealed class MaskedPretrainer(PretrainOptions options, TimeProvider time, ThreadBudget? budget = null)
    : SequencePretrainer(options with { Method = PretrainingMethod.Masked }, time, budget)
{
    public override string ModelName => "bilstm_mae";

    public override string LossName => "masked mse";

    private protected override string LossHead => "reconstruction loss";

    private protected override string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"masking {Options.Masking.ToString().ToLowerInvariant()} ratio {Options.MaskRatio} patch {Options.PatchLength}");

    private protected override PretrainingModel CreateModel(Generator generator) => new MaskedAutoencoder(Options.Encoder, generator);

    private protected override Tensor BatchLoss(PretrainingModel model, Tensor x, Generator generator)
    {
        var mask = SequenceMasking.Create(x.shape[0], (int)x.shape[1], Options.Masking, Options.MaskRatio, Options.PatchLength, generator, x.device);
        return SequenceMasking.MaskedLoss(model.forward(x, mask), x, mask);
    }

    private protected override EncoderMetadata WithMethod(EncoderMetadata metadata) => metadata with
    {
        Method = PretrainingMethod.Masked, Masking = Options.Masking, MaskRatio = Options.MaskRatio, PatchLength = Options.PatchLength, MinReaderVersion = 1,
    };
}
