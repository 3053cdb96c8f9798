using Kairos.Artifacts;
using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kairos.Progress;
using Spectre.Console;

namespace Kairos.Cli;

/// <summary>
/// What a command needs from the terminal: output mode, console, progress rendering, cancellation. Output and error are
/// the invocation's writers (<see cref="InvocationConfiguration.Output"/> and <see cref="InvocationConfiguration.Error"/>,
/// the process's standard streams by default), so a command run in process (tests, an embedding host) writes where the
/// caller says; no command touches <see cref="System.Console"/> directly.
/// </summary>
public sealed class CliContext
{
    public static readonly JsonSerializerOptions JsonOptions = ArtifactJson.With(o => o.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);

    private CliContext(bool json, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        Json = json;
        Output = output;
        ErrorOutput = error;
        Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        Error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
        Cancellation = cancellation;
    }

    /// <summary>True when the user asked for machine-readable output (<c>--json</c>).</summary>
    public bool Json { get; }

    /// <summary>Standard output for tables and human-readable results.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>Standard error for diagnostics, warnings and progress.</summary>
    public IAnsiConsole Error { get; }

    /// <summary>Standard output as plain text (JSON documents, lines a script reads).</summary>
    public TextWriter Output { get; }

    /// <summary>Standard error as plain text.</summary>
    public TextWriter ErrorOutput { get; }

    /// <summary>
    /// Cancelled when the caller of an in-process invocation cancels it (<see cref="ParseResult.InvokeAsync(InvocationConfiguration, CancellationToken)"/>).
    /// The process's own signals are handled by the commands that need them (worker, serve), as before.
    /// </summary>
    public CancellationToken Cancellation { get; }

    /// <summary>Where a command's plain text lines go: standard error under <c>--json</c> (standard output is the JSON), else standard output.</summary>
    public Action<string> Echo => Json ? ErrorOutput.WriteLine : Output.WriteLine;

    public static CliContext From(ParseResult parse, CancellationToken cancellation = default)
    {
        var json = parse.GetValue(KairosCommand.JsonOption);
        var config = parse.InvocationConfiguration;
        return new CliContext(json, config.Output, config.Error, cancellation);
    }

    /// <summary>Writes a result object as JSON to standard output.</summary>
    public void WriteJson<T>(T value) => Output.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>The end of a command that succeeded: <paramref name="json"/> as JSON with <c>--json</c>, else <paramref name="render"/>; exit 0.</summary>
    public int Finish<T>(T json, Action render)
    {
        if (Json) WriteJson(json);
        else render();
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Runs <paramref name="work"/> with a progress sink: Spectre progress bars on an interactive
    /// terminal, nothing when output is redirected or JSON was asked for.
    /// </summary>
    /// <remarks>The sink's notes (decisions such as the threads a stage uses) go to standard error in every mode.</remarks>
    public T WithProgress<T>(Func<IProgressSink, T> work)
    {
        if (Json || (ReferenceEquals(ErrorOutput, System.Console.Error) && System.Console.IsErrorRedirected) || !Error.Profile.Capabilities.Interactive)
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
