namespace Kairos.Onnx;

/// <summary>ONNX tensor element types (<c>TensorProto.DataType</c> in onnx.proto) that exported models use.</summary>
public enum OnnxElementType
{
    Float = 1,
    Int64 = 7,
    Bool = 9,
    Double = 11,
}
