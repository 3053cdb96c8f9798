namespace Kairos.Datasets;

/// <summary>A dense row-major float32 tensor: <see cref="Data"/> has shape <see cref="Shape"/>.</summary>
public sealed record WindowBatch(float[] Data, int[] Shape)
{
    public int Count => Shape[0];
}
