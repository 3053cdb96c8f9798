using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// MSBuild task behind Directory.Build.targets: makes a native library that was linked against a newer
/// libstdc++ than the host's loadable, when (and only when) that is provably safe. It reads the library's
/// ELF version needs (.gnu.version_r) for libstdc++.so.6 and the versions the host's libstdc++ defines
/// (.gnu.version_d). Every needed version the host lacks is marked WEAK (vna_flags |= VER_FLG_WEAK) if no
/// dynamic relocation refers to a symbol bound to that version: then the need is a marker only (GCC 13's
/// &lt;iostream&gt; adds one for _ZSt21ios_base_library_initv) and the loader can ignore it. If a relocation
/// does use such a symbol the task fails with a message naming the version and the symbol.
/// The file is patched as a copy renamed over the original (never written in place, so a hard link or
/// symbolic link into the NuGet cache is never modified), keeps its timestamp (incremental copies stay
/// incremental), and a second run finds nothing to do.
/// </summary>
public sealed class PatchGlibcxxVersionNeeds : Task
{
    private const uint ShtRela = 4;
    private const uint ShtDynsym = 11;
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtGnuVersym = 0x6fffffff;
    private const ushort VerFlagWeak = 0x2;
    private const string StdCxxSoname = "libstdc++.so.6";

    /// <summary>Native libraries to check (files that do not exist are ignored).</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>Optional: the libstdc++ to check against; default: the one mapped into this process.</summary>
    public string HostLibStdCxx { get; set; } = "";

    public override bool Execute()
    {
        var host = string.IsNullOrEmpty(HostLibStdCxx) ? FindHostLibStdCxx() : HostLibStdCxx;
        if (host == null)
        {
            Log.LogMessage(MessageImportance.Normal, "Kairos: no libstdc++.so.6 found on this host; native libraries left as they are.");
            return true;
        }
        HashSet<string> defined;
        try
        {
            defined = new HashSet<string>(ReadVersionDefinitions(File.ReadAllBytes(host)), StringComparer.Ordinal);
        }
        catch (InvalidDataException e)
        {
            Log.LogWarning("Kairos: cannot read the version definitions of {0} ({1}); native libraries left as they are.", host, e.Message);
            return true;
        }
        foreach (var item in Files)
        {
            var path = item.GetMetadata("FullPath");
            if (File.Exists(path))
                PatchOne(path, host, defined);
        }
        return !Log.HasLoggedErrors;
    }

    private void PatchOne(string path, string host, HashSet<string> defined)
    {
        var bytes = File.ReadAllBytes(path);
        Elf elf;
        try
        {
            elf = Elf.Parse(bytes);
        }
        catch (InvalidDataException e)
        {
            Log.LogWarning("Kairos: {0} is not a 64-bit little-endian ELF file ({1}); left as it is.", path, e.Message);
            return;
        }
        var missing = ReadVersionNeeds(elf)
            .Where(n => n.File == StdCxxSoname && (n.Flags & VerFlagWeak) == 0 && !defined.Contains(n.Name))
            .ToList();
        if (missing.Count == 0)
        {
            Log.LogMessage(MessageImportance.Low, "Kairos: {0}: every libstdc++ version it needs is defined by {1} or already weak.", path, host);
            return;
        }
        var relocated = RelocatedSymbols(elf);
        var symbolVersions = SymbolVersions(elf);
        var unsafeUses = new List<string>();
        foreach (var need in missing)
        {
            foreach (var symbol in symbolVersions.Where(s => s.Value == need.Index).Select(s => s.Key))
                if (relocated.Contains(symbol))
                    unsafeUses.Add($"{need.Name} (symbol {elf.DynamicSymbolName(symbol)} is used by a relocation)");
        }
        if (unsafeUses.Count > 0)
        {
            Log.LogError(
                "Kairos: {0} needs libstdc++ versions that {1} does not define and that cannot be ignored safely: {2}. " +
                "Install a libstdc++ from GCC 13 or newer (see DEVELOPERS.md, 'TorchSharp on older Linux').",
                path, host, string.Join("; ", unsafeUses));
            return;
        }
        foreach (var need in missing)
        {
            var flags = BitConverter.ToUInt16(bytes, need.FlagsOffset);
            var patched = BitConverter.GetBytes((ushort)(flags | VerFlagWeak));
            bytes[need.FlagsOffset] = patched[0];
            bytes[need.FlagsOffset + 1] = patched[1];
        }
        var stamp = File.GetLastWriteTimeUtc(path);
        var temp = path + ".kairos-patch.tmp";
        File.Copy(path, temp, true);
        File.WriteAllBytes(temp, bytes);
        File.SetLastWriteTimeUtc(temp, stamp);
        File.Replace(temp, path, null);
        Log.LogMessage(MessageImportance.High,
            "Kairos: marked {0} weak in {1}: {2} defines only up to {3}; no relocation uses these versions.",
            string.Join(", ", missing.Select(m => m.Name)), Path.GetFileName(path), host, Newest(defined));
    }

    private static string Newest(IEnumerable<string> defined) =>
        defined.Where(d => d.StartsWith("GLIBCXX_3.4.", StringComparison.Ordinal))
            .OrderBy(d => int.TryParse(d.Substring("GLIBCXX_3.4.".Length), out var n) ? n : -1)
            .LastOrDefault() ?? "(no GLIBCXX version)";

    /// <summary>The libstdc++.so.6 mapped into this process (the .NET runtime links it), else the first found in the usual directories, else null.</summary>
    private static string FindHostLibStdCxx()
    {
        const string maps = "/proc/self/maps";
        if (File.Exists(maps))
        {
            foreach (var line in File.ReadLines(maps))
            {
                var slash = line.IndexOf('/');
                if (slash < 0) continue;
                var file = line.Substring(slash);
                if (Path.GetFileName(file).StartsWith(StdCxxSoname, StringComparison.Ordinal) && File.Exists(file))
                    return file;
            }
        }
        var dirs = (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "").Split(new[] { ':' }, StringSplitOptions.RemoveEmptyEntries)
            .Concat(new[] { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib" });
        return dirs.Select(d => Path.Combine(d, StdCxxSoname)).FirstOrDefault(File.Exists);
    }

    private static IEnumerable<string> ReadVersionDefinitions(byte[] bytes)
    {
        var elf = Elf.Parse(bytes);
        foreach (var section in elf.Sections.Where(s => s.Type == ShtGnuVerdef))
        {
            var strtab = elf.Sections[(int)section.Link];
            long offset = section.Offset;
            for (var i = 0; i < section.Info; i++)
            {
                var auxOffset = offset + BitConverter.ToUInt32(bytes, (int)offset + 12);
                yield return elf.String(strtab, BitConverter.ToUInt32(bytes, (int)auxOffset));
                var next = BitConverter.ToUInt32(bytes, (int)offset + 16);
                if (next == 0) break;
                offset += next;
            }
        }
    }

    private static List<VersionNeed> ReadVersionNeeds(Elf elf)
    {
        var needs = new List<VersionNeed>();
        var bytes = elf.Bytes;
        foreach (var section in elf.Sections.Where(s => s.Type == ShtGnuVerneed))
        {
            var strtab = elf.Sections[(int)section.Link];
            long offset = section.Offset;
            for (var i = 0; i < section.Info; i++)
            {
                var count = BitConverter.ToUInt16(bytes, (int)offset + 2);
                var file = elf.String(strtab, BitConverter.ToUInt32(bytes, (int)offset + 4));
                var aux = offset + BitConverter.ToUInt32(bytes, (int)offset + 8);
                for (var j = 0; j < count; j++)
                {
                    needs.Add(new VersionNeed(
                        file,
                        elf.String(strtab, BitConverter.ToUInt32(bytes, (int)aux + 8)),
                        BitConverter.ToUInt16(bytes, (int)aux + 4),
                        BitConverter.ToUInt16(bytes, (int)aux + 6),
                        (int)aux + 4));
                    var nextAux = BitConverter.ToUInt32(bytes, (int)aux + 12);
                    if (nextAux == 0) break;
                    aux += nextAux;
                }
                var next = BitConverter.ToUInt32(bytes, (int)offset + 12);
                if (next == 0) break;
                offset += next;
            }
        }
        return needs;
    }

    /// <summary>Dynamic symbol index to its version index (.gnu.version, hidden bit cleared).</summary>
    private static Dictionary<uint, ushort> SymbolVersions(Elf elf)
    {
        var result = new Dictionary<uint, ushort>();
        foreach (var section in elf.Sections.Where(s => s.Type == ShtGnuVersym))
            for (uint i = 0; i < section.Size / 2; i++)
                result[i] = (ushort)(BitConverter.ToUInt16(elf.Bytes, (int)(section.Offset + 2 * i)) & 0x7fff);
        return result;
    }

    /// <summary>Indices of dynamic symbols referred to by any RELA relocation against the dynamic symbol table.</summary>
    private static HashSet<uint> RelocatedSymbols(Elf elf)
    {
        var result = new HashSet<uint>();
        foreach (var section in elf.Sections.Where(s => s.Type == ShtRela && s.Link < elf.Sections.Count && elf.Sections[(int)s.Link].Type == ShtDynsym))
            for (long at = section.Offset; at + 24 <= section.Offset + section.Size; at += 24)
                result.Add((uint)(BitConverter.ToUInt64(elf.Bytes, (int)at + 8) >> 32));
        return result;
    }

    private sealed class VersionNeed
    {
        public VersionNeed(string file, string name, ushort flags, ushort index, int flagsOffset)
        {
            File = file;
            Name = name;
            Flags = flags;
            Index = index;
            FlagsOffset = flagsOffset;
        }

        public string File { get; }
        public string Name { get; }
        public ushort Flags { get; }
        public ushort Index { get; }
        public int FlagsOffset { get; }
    }

    private sealed class Section
    {
        public uint Type;
        public long Offset;
        public long Size;
        public uint Link;
        public uint Info;
    }

    private sealed class Elf
    {
        private Elf(byte[] bytes, List<Section> sections)
        {
            Bytes = bytes;
            Sections = sections;
        }

        public byte[] Bytes { get; }
        public List<Section> Sections { get; }

        public static Elf Parse(byte[] b)
        {
            if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F')
                throw new InvalidDataException("no ELF magic");
            if (b[4] != 2 || b[5] != 1)
                throw new InvalidDataException("not ELFCLASS64 little-endian");
            var shoff = (long)BitConverter.ToUInt64(b, 0x28);
            var shentsize = BitConverter.ToUInt16(b, 0x3A);
            var shnum = BitConverter.ToUInt16(b, 0x3C);
            if (shoff <= 0 || shoff + (long)shentsize * shnum > b.Length || shentsize < 64)
                throw new InvalidDataException("section header table out of range");
            var sections = new List<Section>(shnum);
            for (var i = 0; i < shnum; i++)
            {
                var at = (int)(shoff + (long)i * shentsize);
                var s = new Section
                {
                    Type = BitConverter.ToUInt32(b, at + 4),
                    Offset = (long)BitConverter.ToUInt64(b, at + 24),
                    Size = (long)BitConverter.ToUInt64(b, at + 32),
                    Link = BitConverter.ToUInt32(b, at + 40),
                    Info = BitConverter.ToUInt32(b, at + 44),
                };
                if (s.Type != 8 && s.Offset + s.Size > b.Length)
                    throw new InvalidDataException($"section {i} out of range");
                sections.Add(s);
            }
            return new Elf(b, sections);
        }

        public string String(Section strtab, uint offset)
        {
            var start = (int)(strtab.Offset + offset);
            var end = start;
            while (end < Bytes.Length && Bytes[end] != 0) end++;
            return Encoding.ASCII.GetString(Bytes, start, end - start);
        }

        public string DynamicSymbolName(uint index)
        {
            var dynsym = Sections.First(s => s.Type == ShtDynsym);
            var nameOffset = BitConverter.ToUInt32(Bytes, (int)(dynsym.Offset + 24 * index));
            return String(Sections[(int)dynsym.Link], nameOffset);
        }
    }
}
