namespace Kairos.Threading;

/// <summary>How <see cref="ThreadBudget"/> decides <see cref="ThreadSetting.Auto"/>.</summary>
public enum AutoThreads
{
    /// <summary>
    /// The usable cores less what other processes keep busy, re-decided per stage or trial: for work whose result does
    /// not depend on the thread count (LightGBM with deterministic row-wise histograms trains the same trees on any
    /// number of threads), so only its speed follows the load.
    /// </summary>
    FollowLoad,

    /// <summary>
    /// Every usable core (affinity, cgroup quota) whatever the load: for work whose numbers depend on the thread count.
    /// libtorch splits its sums and matrix products by thread, so a hybrid, LSTM or TFT trained on 1 and on 2 threads
    /// ends with different weights; a load-dependent count would make the same settings train different models from one
    /// run to the next on the same machine.
    /// </summary>
    UsableCores,
}
