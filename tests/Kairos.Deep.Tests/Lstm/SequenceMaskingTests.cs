using Kairos.Deep.Lstm;
using static TorchSharp.torch;

namespace Kairos.Deep.Tests.Lstm;

public class SequenceMaskingTests
{
    [Fact]
    public void Create_Random_HidesRoundedRatioOfEveryRow()
    {
        using var generator = new Generator(5);
        using var mask = SequenceMasking.Create(64, 30, MaskingStrategy.Random, 0.15, 5, generator);
        using var perRow = mask.to(ScalarType.Int64).sum(1);
        var counts = perRow.data<long>().ToArray();
        Assert.All(counts, c => Assert.Equal((long)Math.Round(0.15 * 30), c));
        using var columns = mask.to(ScalarType.Int64).sum(dim: 0);
        Assert.True(columns.data<long>().ToArray().Count(c => c > 0) > 20, "positions should vary between rows");
    }

    [Fact]
    public void Create_Patch_HidesWholeAlignedPatchesOnly()
    {
        using var generator = new Generator(5);
        using var mask = SequenceMasking.Create(32, 30, MaskingStrategy.Patch, 0.4, 5, generator);
        var values = mask.data<bool>().ToArray();
        for (var row = 0; row < 32; row++)
        {
            var patchesHidden = 0;
            for (var patch = 0; patch < 6; patch++)
            {
                var hidden = Enumerable.Range(patch * 5, 5).Select(j => values[row * 30 + j]).Distinct().ToList();
                Assert.Single(hidden);
                if (hidden[0]) patchesHidden++;
            }
            Assert.Equal((int)Math.Round(0.4 * 6), patchesHidden);
        }
    }

    [Fact]
    public void MaskedLoss_UnmaskedPositionsChanged_LossAndGradientIgnoreThem()
    {
        using var generator = new Generator(9);
        using var target = randn([4, 10, 11], generator: generator);
        using var mask = SequenceMasking.Create(4, 10, MaskingStrategy.Random, 0.3, 1, generator);
        using var reconstruction = randn([4, 10, 11], generator: generator).requires_grad_(true);
        using var loss = SequenceMasking.MaskedLoss(reconstruction, target, mask);
        loss.backward();

        using var changed = where(mask.unsqueeze(-1), reconstruction.detach(), reconstruction.detach() + 100);
        using var lossChanged = SequenceMasking.MaskedLoss(changed, target, mask);
        Assert.Equal(loss.item<float>(), lossChanged.item<float>());

        using var unmaskedGrad = reconstruction.grad!.masked_select(mask.logical_not().unsqueeze(-1).expand_as(reconstruction));
        Assert.Equal(0f, unmaskedGrad.abs().max().item<float>());
        using var maskedGrad = reconstruction.grad!.masked_select(mask.unsqueeze(-1).expand_as(reconstruction));
        Assert.True(maskedGrad.abs().max().item<float>() > 0);

        using var expected = (reconstruction.detach() - target).square().mean([-1]).masked_select(mask).mean();
        Assert.Equal(expected.item<float>(), loss.item<float>(), 1e-5f);
    }
}
