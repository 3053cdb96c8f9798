namespace Kairos.Serve;

/// <summary>What computes the hybrid model's forward in <c>kairos serve --p-long hybrid</c> (<c>--engine</c>).</summary>
public enum ServeHybridEngine
{
    /// <summary>The managed SIMD kernel over the bundle's weights (default).</summary>
    Managed,
    /// <summary>libtorch on a batch of one (the model's own <c>forward</c>).</summary>
    Libtorch,
    /// <summary>
    /// ONNX Runtime on one thread: the <c>hybrid.onnx</c> of <see cref="ServeOptions.OnnxExport"/>, or the bundle's model
    /// exported in memory when none is given.
    /// </summary>
    Onnx,
}
