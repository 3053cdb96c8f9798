namespace Kairos.Serve;

/// <summary>What computes the hybrid model's forward in <c>kairos serve --p-long hybrid</c> (<c>--engine</c>).</summary>
public enum ServeHybridEngine
{
    /// <summary>The managed SIMD kernel over the bundle's weights (default).</summary>
    Managed,
    /// <summary>libtorch on a batch of one (the model's own <c>forward</c>).</summary>
    Libtorch,
    /// <summary>
    /// ONNX Runtime on one thread, for the trees (<c>trees_*.onnx</c>, calibrators in the graph; with either
    /// <c>--p-long</c>) and the hybrid (<c>hybrid.onnx</c>): the files of <see cref="ServeOptions.OnnxExport"/>, or the
    /// bundle's models exported in memory when none is given.
    /// </summary>
    Onnx,
}
