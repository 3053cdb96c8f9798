namespace Kairos.Onnx;

/// <summary>One dimension of a graph input's or output's shape: a fixed size or a symbolic name (such as the batch <c>N</c>).</summary>
public readonly record struct OnnxDimension(long Size, string? Symbol)
{
    public static implicit operator OnnxDimension(long size) => new(size, null);
    public static implicit operator OnnxDimension(string symbol) => new(0, symbol);

    public override string ToString() => Symbol ?? Size.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
