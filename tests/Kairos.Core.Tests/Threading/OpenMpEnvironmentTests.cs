using System.Runtime.InteropServices;
using Kairos.Threading;

namespace Kairos.Tests.Threading;

public sealed class OpenMpEnvironmentTests
{
    [Fact]
    public void Apply_SetsTheNativeEnvironmentThatLibgompReads()
    {
        if (!OperatingSystem.IsLinux()) return;
        var before = Environment.GetEnvironmentVariable("GOMP_SPINCOUNT");

        var set = OpenMpEnvironment.Apply();

        if (before is null)
        {
            Assert.Contains("GOMP_SPINCOUNT", set);
            Assert.Equal(OpenMpEnvironment.Defaults["GOMP_SPINCOUNT"], Marshal.PtrToStringUTF8(GetEnv("GOMP_SPINCOUNT")));
            Assert.Equal(OpenMpEnvironment.Defaults["GOMP_SPINCOUNT"], Environment.GetEnvironmentVariable("GOMP_SPINCOUNT"));
        }
        else
        {
            Assert.DoesNotContain("GOMP_SPINCOUNT", set);
            Assert.Equal(before, Environment.GetEnvironmentVariable("GOMP_SPINCOUNT"));
        }
    }

    [Fact]
    public void SetEnvironmentVariable_DoesNotReachTheNativeEnvironment_HenceSetenv()
    {
        if (!OperatingSystem.IsLinux()) return;
        var name = "KAIROS_TEST_" + Guid.NewGuid().ToString("N");

        Environment.SetEnvironmentVariable(name, "1");

        Assert.Equal("1", Environment.GetEnvironmentVariable(name));
        Assert.Equal(IntPtr.Zero, GetEnv(name));
    }

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr GetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}
