// Torch tests seed libtorch's global generator and use every core: running them one at a time keeps
// them deterministic and stops them from competing for the same cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
