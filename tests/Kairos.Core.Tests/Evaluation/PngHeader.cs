using System.Buffers.Binary;

namespace Kairos.Tests.Evaluation;

/// <summary>Reads a PNG's signature and IHDR size, so tests can check that a picture is a real PNG of the asked size.</summary>
internal static class PngHeader
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static (int Width, int Height) Size(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 33, $"{path} is too short for a PNG ({bytes.Length} bytes)");
        Assert.Equal(Signature, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
    }

    /// <summary>Share of pixels that are not white in the horizontal band [top, bottom) of the image (decoded with SkiaSharp).</summary>
    public static double InkShare(string path, double top, double bottom)
    {
        using var bitmap = SkiaSharp.SKBitmap.Decode(path);
        int y0 = (int)(top * bitmap.Height), y1 = (int)(bottom * bitmap.Height);
        long ink = 0;
        for (var y = y0; y < y1; y++)
            for (var x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (c.Red < 200 || c.Green < 200 || c.Blue < 200) ink++;
            }
        return (double)ink / ((y1 - y0) * (long)bitmap.Width);
    }
}
