using Microsoft.Win32.SafeHandles;

namespace Kairos.Trees.Native;

/// <summary>Owns a native LightGBM <c>FastConfigHandle</c> (the single-row fast path's setup); frees it exactly once.</summary>
internal sealed class FastConfigSafeHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public FastConfigSafeHandle(nint handle) : base(ownsHandle: true) => SetHandle(handle);

    protected override bool ReleaseHandle() => LightGbmNative.LGBM_FastConfigFree(handle) == 0;
}
