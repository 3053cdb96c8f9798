using Kairos.Errors;
using TorchSharp;
using static TorchSharp.torch;

namespace Kairos.Deep.Runs;

/// <summary>The <c>--device</c> setting of every trainer, resolved once.</summary>
public static class TrainingDevice
{
    /// <summary><c>cpu</c> or <c>cuda</c>; cuda without a CUDA device is a <see cref="ConfigException"/> naming <c>--device</c>.</summary>
    public static Device Resolve(string name)
    {
        if (name == "cuda")
        {
            if (!torch.cuda.is_available())
                throw new ConfigException("--device", ["cuda was requested but no CUDA device is available to libtorch (this build uses TorchSharp-cpu)"]);
            return torch.CUDA;
        }
        return torch.CPU;
    }

    /// <summary>
    /// The seed of epoch <paramref name="epoch"/>'s shuffle: a pure function of the run seed and the epoch, so that a
    /// resumed run shuffles exactly as the uninterrupted one.
    /// </summary>
    public static ulong EpochSeed(long seed, int epoch) =>
        unchecked((ulong)seed * 6364136223846793005UL + (ulong)epoch * 0xD1B54A32D192ED03UL + 1442695040888963407UL);
}
