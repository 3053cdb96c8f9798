using System.Net;

namespace Kairos.Serve.Tests;

/// <summary>Waits for a state of the service (not a timed assertion: the limit only keeps a broken service from hanging the run).</summary>
internal static class Wait
{
    public static async Task Ready(ServeProcess serve) => await Until(serve, async () => (await serve.Get("/readyz")).Status == HttpStatusCode.OK);

    /// <summary>Warm-up done (the service takes bars), whether or not every symbol is past its feature warm-up.</summary>
    public static async Task Serving(ServeProcess serve) => await Until(serve, async () => (string)(await serve.Status())["status"]! != "starting");

    public static async Task Until(ServeProcess serve, Func<Task<bool>> condition)
    {
        for (var i = 0; i < 3000; i++)
        {
            if (await condition()) return;
            Assert.False(serve.Process.HasExited, "kairos serve exited:\n" + serve.StandardError);
            await Task.Delay(100);
        }
        Assert.Fail("kairos serve never reached the state:\n" + serve.StandardError);
    }
}
