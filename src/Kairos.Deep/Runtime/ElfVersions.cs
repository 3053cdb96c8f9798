using System.Buffers.Binary;
using System.Text;

namespace Kairos.Deep.Runtime;

/// <summary>
/// Read-only view of the ELF symbol-versioning sections of a 64-bit little-endian shared library: the
/// versions it needs (<c>.gnu.version_r</c>) and the versions it defines (<c>.gnu.version_d</c>). Used to
/// explain why a native library does not load; the build step that fixes it lives in
/// <c>build/GlibcxxCompatTask.cs</c>.
/// </summary>
public sealed class ElfVersions
{
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    private ElfVersions(string path, IReadOnlyList<ElfVersionNeed> needs, IReadOnlySet<string> definitions)
    {
        Path = path;
        Needs = needs;
        Definitions = definitions;
    }

    public string Path { get; }

    /// <summary>Versions this library needs from other libraries.</summary>
    public IReadOnlyList<ElfVersionNeed> Needs { get; }

    /// <summary>Versions this library defines (empty for most libraries; libstdc++ defines GLIBCXX_*).</summary>
    public IReadOnlySet<string> Definitions { get; }

    /// <summary>Reads the version sections of <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a well-formed 64-bit little-endian ELF file.</exception>
    public static ElfVersions Read(string path)
    {
        var b = File.ReadAllBytes(path);
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F')
            throw new InvalidDataException($"{path}: not an ELF file");
        if (b[4] != 2 || b[5] != 1)
            throw new InvalidDataException($"{path}: not a 64-bit little-endian ELF file");
        var shoff = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(0x28)));
        var shentsize = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(0x3A));
        var shnum = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(0x3C));
        if (shentsize < 64 || (long)shoff + (long)shentsize * shnum > b.Length)
            throw new InvalidDataException($"{path}: section header table out of range");
        var sections = new (uint Type, int Offset, uint Link, uint Info)[shnum];
        for (var i = 0; i < shnum; i++)
        {
            var h = b.AsSpan(shoff + i * shentsize);
            sections[i] = (BinaryPrimitives.ReadUInt32LittleEndian(h[4..]), checked((int)BinaryPrimitives.ReadUInt64LittleEndian(h[24..])),
                BinaryPrimitives.ReadUInt32LittleEndian(h[40..]), BinaryPrimitives.ReadUInt32LittleEndian(h[44..]));
        }
        string Str(uint strtabIndex, uint offset)
        {
            var start = sections[strtabIndex].Offset + (int)offset;
            var length = b.AsSpan(start).IndexOf((byte)0);
            return Encoding.ASCII.GetString(b, start, length < 0 ? b.Length - start : length);
        }
        uint U32(int at) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at));
        ushort U16(int at) => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at));

        var needs = new List<ElfVersionNeed>();
        var definitions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in sections)
        {
            if (s.Type == ShtGnuVerneed)
            {
                var at = s.Offset;
                for (var i = 0; i < s.Info; i++)
                {
                    var file = Str(s.Link, U32(at + 4));
                    var aux = at + (int)U32(at + 8);
                    for (var j = 0; j < U16(at + 2); j++)
                    {
                        needs.Add(new ElfVersionNeed(file, Str(s.Link, U32(aux + 8)), (U16(aux + 4) & VerFlagWeak) != 0));
                        if (U32(aux + 12) == 0) break;
                        aux += (int)U32(aux + 12);
                    }
                    if (U32(at + 12) == 0) break;
                    at += (int)U32(at + 12);
                }
            }
            else if (s.Type == ShtGnuVerdef)
            {
                var at = s.Offset;
                for (var i = 0; i < s.Info; i++)
                {
                    definitions.Add(Str(s.Link, U32(at + (int)U32(at + 12))));
                    if (U32(at + 16) == 0) break;
                    at += (int)U32(at + 16);
                }
            }
        }
        return new ElfVersions(path, needs, definitions);
    }

    /// <summary>
    /// Path of the loaded library whose file name starts with <paramref name="soname"/> (from
    /// <c>/proc/self/maps</c>): the exact file the dynamic loader resolved for this process, or null.
    /// </summary>
    public static string? FindLoaded(string soname)
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps)) return null;
        foreach (var line in File.ReadLines(maps))
        {
            var slash = line.IndexOf('/');
            if (slash < 0) continue;
            var file = line[slash..];
            if (System.IO.Path.GetFileName(file).StartsWith(soname, StringComparison.Ordinal) && File.Exists(file))
                return file;
        }
        return null;
    }
}
