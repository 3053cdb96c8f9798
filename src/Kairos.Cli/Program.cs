using System.CommandLine;
using Kairos.Cli;

// System.CommandLine's own Ctrl-C handling is off: a command that must react to SIGINT or SIGTERM (worker, serve)
// registers its handler; every other command ends as the signal says, and its artifacts are written atomically.
return KairosCommand.Build().Parse(args).Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null });
