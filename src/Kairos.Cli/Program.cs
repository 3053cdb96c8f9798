using Kairos.Cli;
using Kairos.Threading;

// Before anything can load LightGBM or libtorch: their OpenMP runtimes read how to wait only when they load.
OpenMpEnvironment.Apply();
return KairosCommand.Build().Parse(args).Invoke();
