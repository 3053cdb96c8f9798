using Microsoft.Win32.SafeHandles;

namespace Kairos.Trees.Native;

/// <summary>Owns a native LightGBM <c>DatasetHandle</c>; frees it exactly once.</summary>
internal sealed class DatasetSafeHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public DatasetSafeHandle(nint handle) : base(ownsHandle: true) => SetHandle(handle);

    protected override bool ReleaseHandle() => LightGbmNative.LGBM_DatasetFree(handle) == 0;
}
