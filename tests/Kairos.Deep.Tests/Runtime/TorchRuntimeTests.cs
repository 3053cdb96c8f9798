using Kairos.Deep.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Kairos.Deep.Tests.Runtime;

public class TorchRuntimeTests
{
    [Fact]
    public void EnsureAvailable_OnThisHost_TinyModelTrainsAndLossFalls()
    {
        TorchRuntime.EnsureAvailable();
        torch.manual_seed(7);
        using var model = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 1));
        using var optimizer = optim.Adam(model.parameters(), 0.05);
        using var x = randn(128, 4);
        using var w = tensor(new float[] { 1.5f, -2f, 0.5f, 3f }).reshape(4, 1);
        using var y = x.matmul(w);

        var losses = new List<float>();
        for (var step = 0; step < 30; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.forward(x), y);
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }

        Assert.All(losses, l => Assert.True(float.IsFinite(l)));
        Assert.True(losses[^1] < 0.2f * losses[0], $"loss went from {losses[0]} to {losses[^1]}");
    }

    [Fact]
    public void ConfigureThreads_Explicit_SetsLibtorchThreadCount()
    {
        var before = torch.get_num_threads();
        try
        {
            Assert.Equal(1, TorchRuntime.ConfigureThreads(1));
            Assert.Equal(1, torch.get_num_threads());
        }
        finally
        {
            torch.set_num_threads(before);
        }
    }

    [Fact]
    public void Explain_LoadFailureWithUnpatchedLibrary_NamesMissingVersionAndRemedy()
    {
        var message = TorchRuntime.Explain(new DllNotFoundException("GLIBCXX_3.4.32 not found"));

        Assert.Contains("GLIBCXX_3.4.32 not found", message);
        Assert.Contains("DEVELOPERS.md", message);
    }
}
