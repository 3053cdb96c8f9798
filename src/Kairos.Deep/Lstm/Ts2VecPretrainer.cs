using System.Globalization;
using Kairos.Threading;
using TorchSharp;
using static TorchSharp.torch;

namespace Kairos.Deep.Lstm;

/// <summary>
/// <c>kairos pretrain --method ts2vec</c>: the BiLSTM encoder trained with TS2Vec (Yue et al., AAAI 2022) on training
/// windows (labels unused). Each batch draws one random pair of overlapping crops (<see cref="Ts2VecCrop"/>), masks
/// each view's timestamps with probability <see cref="Ts2VecOptions.TimestampMaskRatio"/> (<see cref="Ts2VecModel"/>),
/// encodes both views and scores the overlap's two representations with the hierarchical contrastive loss
/// (<see cref="Ts2VecLoss"/>). The validation loss is the same objective on validation windows with crops and masks
/// from a fixed seed, in batches of the training size (the instance-wise term's negatives are the batch). The run
/// itself (checkpoints, resume, NaN guard, encoder files) is <see cref="SequencePretrainer"/>'s.
/// </summary>
public sealed class Ts2VecPretrainer(PretrainOptions options, TimeProvider time, ThreadBudget? budget = null)
    : SequencePretrainer(options with { Method = PretrainingMethod.Ts2Vec }, time, budget)
{
    public override string ModelName => "bilstm_ts2vec";

    public override string LossName => "contrastive";

    private protected override string LossHead => "contrastive loss";

    private Ts2VecOptions Settings => Options.Ts2Vec;

    private protected override string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"ts2vec alpha {Settings.Alpha} temporal unit {Settings.TemporalUnit} timestamp mask {Settings.TimestampMaskRatio} crops >= {Settings.MinimumCropLength} bars");

    private protected override IEnumerable<string> DataProblems(SequenceTrainingData data)
    {
        if (Settings.MinimumCropLength > data.Info.SeqLen)
            yield return $"--temporal-unit {Settings.TemporalUnit} needs crops of at least {Settings.MinimumCropLength} bars but the windows have {data.Info.SeqLen} (seq_len)";
    }

    private protected override PretrainingModel CreateModel(Generator generator) => new Ts2VecModel(Options.Encoder, generator);

    private protected override int ValidationBatchSize => Options.Training.BatchSize;

    private protected override Tensor BatchLoss(PretrainingModel model, Tensor x, Generator generator)
    {
        var crop = Ts2VecCrop.Draw(x.shape[0], (int)x.shape[1], Settings.MinimumCropLength, generator);
        var (view1, view2) = crop.Apply(x);
        var mask1 = rand([view1.shape[0], view1.shape[1]], generator: generator).lt(Settings.TimestampMaskRatio).to(x.device);
        var mask2 = rand([view2.shape[0], view2.shape[1]], generator: generator).lt(Settings.TimestampMaskRatio).to(x.device);
        var out1 = model.forward(view1, mask1).narrow(1, crop.View1Length - crop.CropLength, crop.CropLength);
        var out2 = model.forward(view2, mask2).narrow(1, 0, crop.CropLength);
        return Ts2VecLoss.Hierarchical(out1, out2, Settings.Alpha, Settings.TemporalUnit);
    }

    private protected override EncoderMetadata WithMethod(EncoderMetadata metadata) => metadata with
    {
        Method = PretrainingMethod.Ts2Vec, Ts2Vec = Settings, MinReaderVersion = 2,
    };
}
