namespace Kairos.Deep.Runtime;

/// <summary>One symbol version a shared library needs from another (an entry of its <c>.gnu.version_r</c>).</summary>
/// <param name="File">The library that must provide it, e.g. <c>libstdc++.so.6</c>.</param>
/// <param name="Version">The version name, e.g. <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="Weak">True when marked weak: the loader then does not refuse the library if it is missing.</param>
public sealed record ElfVersionNeed(string File, string Version, bool Weak);
