namespace Kairos.Deep.Bundles;

/// <summary>What computes a bundle's hybrid forward pass for one bar.</summary>
public enum HybridInferenceEngine
{
    /// <summary>The managed <c>HybridForwardKernel</c>: the model's weights copied into SIMD matrix products in .NET, no libtorch call per bar (default).</summary>
    Managed,
    /// <summary>libtorch on a batch of one (the model's own <c>forward</c>).</summary>
    Libtorch,
}
