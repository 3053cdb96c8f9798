using Kairos.Artifacts;
using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kairos.Progress;
using Spectre.Console;

namespace Kairos.Cli;

/// <summary>What a command needs from the terminal: output mode, console, progress rendering.</summary>
public sealed class CliContext
{
    public static readonly JsonSerializerOptions JsonOptions = ArtifactJson.With(o => o.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);

    private CliContext(bool json, IAnsiConsole console, IAnsiConsole error)
    {
        Json = json;
        Console = console;
        Error = error;
    }

    /// <summary>True when the user asked for machine-readable output (<c>--json</c>).</summary>
    public bool Json { get; }

    /// <summary>Standard output for tables and human-readable results.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>Standard error for diagnostics, warnings and progress.</summary>
    public IAnsiConsole Error { get; }

    public static CliContext From(ParseResult parse)
    {
        var json = parse.GetValue(KairosCommand.JsonOption);
        var error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Error) });
        return new CliContext(json, AnsiConsole.Console, error);
    }

    /// <summary>Writes a result object as JSON to standard output.</summary>
    public void WriteJson<T>(T value) => System.Console.Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>
    /// Runs <paramref name="work"/> with a progress sink: Spectre progress bars on an interactive
    /// terminal, nothing when output is redirected or JSON was asked for.
    /// </summary>
    /// <remarks>The sink's notes (decisions such as the threads a stage uses) go to standard error in every mode.</remarks>
    public T WithProgress<T>(Func<IProgressSink, T> work)
    {
        if (Json || System.Console.IsErrorRedirected || !Error.Profile.Capabilities.Interactive)
            return work(new NotesOnly(Error));
        T result = default!;
        Error.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(ctx => result = work(new SpectreProgressSink(ctx, Error)));
        return result;
    }

    /// <summary>A note as the CLI prints it: one grey line on standard error.</summary>
    public void Note(string line) => WriteNote(Error, line);

    private static void WriteNote(IAnsiConsole error, string line) => error.MarkupLine("[grey]" + Markup.Escape(line) + "[/]");

    private sealed class NotesOnly(IAnsiConsole error) : IProgressSink
    {
        public IProgressTask Start(string description, double total) => NullProgressSink.Instance.Start(description, total);
        public void Note(string line) => WriteNote(error, line);
    }

    private sealed class SpectreProgressSink(ProgressContext ctx, IAnsiConsole error) : IProgressSink
    {
        public void Note(string line) => WriteNote(error, line);

        public IProgressTask Start(string description, double total)
        {
            var task = ctx.AddTask(Markup.Escape(description), maxValue: total > 0 ? total : 1);
            if (total <= 0) task.IsIndeterminate = true;
            return new SpectreTask(task);
        }
    }

    private sealed class SpectreTask(ProgressTask task) : IProgressTask
    {
        public void Advance(double units) => task.Increment(units);
        public void SetDescription(string description) => task.Description = Markup.Escape(description);
        public void Dispose() => task.StopTask();
    }
}
