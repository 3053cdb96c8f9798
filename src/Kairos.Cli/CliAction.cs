using System.CommandLine;
using Kairos.Errors;
using Spectre.Console;

namespace Kairos.Cli;

/// <summary>Runs a command body and turns its failures into exit codes via <see cref="ExitCodes"/>.</summary>
public static class CliAction
{
    public static void Set(Command command, Func<ParseResult, CliContext, int> body) =>
        command.SetAction(parse => Run(parse, body));

    public static int Run(ParseResult parse, Func<ParseResult, CliContext, int> body)
    {
        var ctx = CliContext.From(parse);
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
        System.Console.Error.WriteLine("error: " + e.Message);
    }
}
