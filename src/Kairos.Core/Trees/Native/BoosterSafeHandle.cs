using Microsoft.Win32.SafeHandles;

namespace Kairos.Trees.Native;

/// <summary>Owns a native LightGBM <c>BoosterHandle</c>; frees it exactly once.</summary>
internal sealed class BoosterSafeHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public BoosterSafeHandle(nint handle) : base(ownsHandle: true) => SetHandle(handle);

    protected override bool ReleaseHandle() => LightGbmNative.LGBM_BoosterFree(handle) == 0;
}
