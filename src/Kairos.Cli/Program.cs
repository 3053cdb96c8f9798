using Kairos.Cli;

return KairosCommand.Build().Parse(args).Invoke();
