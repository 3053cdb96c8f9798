using System.Globalization;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Kairos.Tests;

/// <summary>
/// A throwaway PostgreSQL server for tests: initdb in a temporary directory, started on a free
/// loopback port with pg_ctl (no system service), stopped and deleted on dispose. As root the
/// server runs as the <c>postgres</c> user. When the server binaries are missing it installs the
/// Debian package (<c>apt-get install -y postgresql</c>) and fails loudly when it cannot.
/// </summary>
public sealed class PostgresCluster : IDisposable
{
    private readonly string _bin;
    private readonly string _dir;
    private readonly string _data;
    private readonly bool _asPostgresUser;
    private int _databases;

    public PostgresCluster()
    {
        _bin = FindBinaries() ?? Install();
        _asPostgresUser = Environment.UserName == "root";
        _dir = TestData.TempDirectory("kairos-pg");
        _data = Path.Combine(_dir, "data");
        if (_asPostgresUser) Run("chown", ["-R", "postgres:postgres", _dir], asPostgres: false);
        Run(Path.Combine(_bin, "initdb"), ["-D", _data, "-U", "kairos", "-A", "trust", "-E", "UTF8", "--no-sync"], _asPostgresUser);
        Port = FreePort();
        Run(Path.Combine(_bin, "pg_ctl"),
            ["-D", _data, "-l", Path.Combine(_dir, "server.log"), "-w", "-t", "60", "-o",
             $"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
             "start"], _asPostgresUser);
    }

    public int Port { get; }

    /// <summary>Creates a fresh, empty database and returns its <c>postgres://</c> URI.</summary>
    public string NewDatabaseUri()
    {
        var name = $"kairos_test_{Interlocked.Increment(ref _databases)}";
        Run(Path.Combine(_bin, "createdb"), ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "kairos", name], _asPostgresUser);
        return $"postgres://kairos@127.0.0.1:{Port}/{name}";
    }

    public void Dispose()
    {
        Run(Path.Combine(_bin, "pg_ctl"), ["-D", _data, "-m", "immediate", "-w", "stop"], _asPostgresUser);
        Directory.Delete(_dir, recursive: true);
    }

    private static string? FindBinaries()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            if (File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")))
            {
                // Debian links initdb and pg_ctl into PATH but not createdb: use the real directory.
                var initdb = new FileInfo(Path.Combine(dir, "initdb"));
                var real = initdb.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb.FullName;
                return Path.GetDirectoryName(real)!;
            }
        const string debian = "/usr/lib/postgresql";
        if (!Directory.Exists(debian)) return null;
        return Directory.GetDirectories(debian)
            .Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb")))
            .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
            .FirstOrDefault();
    }

    private static string Install()
    {
        if (Environment.UserName != "root")
            throw new InvalidOperationException("PostgreSQL server binaries (initdb, pg_ctl) are missing and only root can install them: run 'apt-get install -y postgresql'.");
        var log = new List<string>();
        // Wait for dpkg's lock (another test process may be installing) instead of failing.
        string[] install = ["-o", "DPkg::Lock::Timeout=600", "install", "-y", "postgresql"];
        foreach (var args in new[] { install, ["-o", "DPkg::Lock::Timeout=600", "update"], install })
        {
            var (code, output) = TryRun("apt-get", args, asPostgres: false);
            log.Add($"apt-get {string.Join(' ', args)} -> {code}: {output.Trim()}");
            if (args.Contains("install") && code == 0 && FindBinaries() is { } bin) return bin;
        }
        throw new InvalidOperationException("PostgreSQL server binaries are missing and 'apt-get install -y postgresql' failed:\n" + string.Join("\n", log));
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static void Run(string file, string[] args, bool asPostgres)
    {
        var (code, output) = TryRun(file, args, asPostgres);
        if (code != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed with exit code {code}:\n{output}");
    }

    private static (int Code, string Output) TryRun(string file, string[] args, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asPostgres)
        {
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add("postgres");
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(file);
        }
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
