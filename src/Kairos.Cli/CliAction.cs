using System.CommandLine;
using Kairos.Errors;
using Spectre.Console;

namespace Kairos.Cli;

/// <summary>Runs a command body and turns its failures into exit codes via <see cref="ExitCodes"/>.</summary>
public static class CliAction
{
    /// <summary>
    /// Sets <paramref name="body"/> as the command's action. The action takes the invocation's cancellation token (an
    /// in-process caller's; the program turns System.CommandLine's own signal handling off, so SIGINT and SIGTERM keep
    /// their meaning per command) and runs the body synchronously.
    /// </summary>
    public static void Set(Command command, Func<ParseResult, CliContext, int> body) =>
        command.SetAction((parse, cancellation) => Task.FromResult(Run(parse, body, cancellation)));

    public static int Run(ParseResult parse, Func<ParseResult, CliContext, int> body, CancellationToken cancellation = default)
    {
        var ctx = CliContext.From(parse, cancellation);
        try
        {
            return body(parse, ctx);
        }
        catch (KairosException e)
        {
            var code = ExitCodes.For(e);
            Report(ctx, e, code);
            return code;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug, not bad input: show everything so it can be reported.
            ctx.Error.MarkupLine("[red]internal error[/] (please report): " + Markup.Escape(e.ToString()));
            return ExitCodes.InternalError;
        }
    }

    private static void Report(CliContext ctx, KairosException e, int code)
    {
        if (ctx.Json)
        {
            var error = new Dictionary<string, object?> { ["error"] = e.Message, ["exit_code"] = code, ["kind"] = e.GetType().Name };
            if (e is DataException d)
            {
                error["file"] = d.File;
                error["line"] = d.Line;
                error["column"] = d.Column;
                error["rule"] = d.Rule;
            }
            if (e is VerificationException v) error["failures"] = v.Failures;
            if (e is ConfigException c) error["problems"] = c.Problems;
            if (e is BadRowsException rows)
            {
                error["file"] = rows.File;
                error["rows"] = rows.Problems.Select(p => new Dictionary<string, object> { ["line"] = p.Line, ["field"] = p.Field, ["rule"] = p.Rule, ["detail"] = p.Detail }).ToList();
            }
            if (e is LockedException l)
            {
                error["path"] = l.Path;
                error["rule"] = l.Rule;
                error["holder_pid"] = l.HolderPid;
            }
            ctx.WriteJson(error);
        }
        ctx.ErrorOutput.WriteLine("error: " + e.Message);
    }
}
