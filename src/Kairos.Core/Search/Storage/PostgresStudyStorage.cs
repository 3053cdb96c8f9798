using System.Data.Common;
using Kairos.Errors;
using Npgsql;

namespace Kairos.Search.Storage;

/// <summary>
/// Study storage on a PostgreSQL server, shared by workers on many machines (Kairos's and Optuna's). Work is
/// claimed with <c>SELECT ... FOR UPDATE SKIP LOCKED</c>, new trial numbers are drawn under a lock on the
/// study's <c>studies</c> row (the lock Optuna takes for the same purpose), fenced writes lock the trial row,
/// and first-use migration runs under an advisory lock.
/// </summary>
public sealed class PostgresStudyStorage : SqlStudyStorage
{
    private readonly NpgsqlDataSource _dataSource;

    /// <param name="uri"><c>postgres://user:password@host:port/database?Key=Value</c> (keys are Npgsql settings).</param>
    public PostgresStudyStorage(string uri)
    {
        var builder = ParseUri(uri);
        Location = $"postgres://{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}";
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public override string Location { get; }

    protected override string NowSql => "(EXTRACT(EPOCH FROM clock_timestamp())::double precision)";

    protected override string ForUpdate => " FOR UPDATE";

    protected override string SkipLocked => " FOR UPDATE SKIP LOCKED";

    protected override bool IsPostgres => true;

    protected override object OptunaTime(DateTime localTime) => DateTime.SpecifyKind(localTime, DateTimeKind.Unspecified);

    protected override bool TableExists(DbConnection connection, DbTransaction transaction, string table) =>
        Scalar(connection, transaction, "SELECT to_regclass(@t)::text", ("t", table)) is not null;

    protected override void AdvanceKey(DbConnection connection, DbTransaction transaction, string table, string column) =>
        Scalar(connection, transaction,
            $"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), (SELECT COALESCE(MAX({column}), 0) + 1 FROM {table}), false)");

    protected override DbConnection OpenConnection()
    {
        try
        {
            return _dataSource.OpenConnection();
        }
        catch (NpgsqlException e)
        {
            throw new ConfigException(Location, [$"cannot connect to the study database: {e.Message}"]);
        }
    }

    protected override DbTransaction BeginWrite(DbConnection connection) => ((NpgsqlConnection)connection).BeginTransaction();

    protected override void LockForMigration(DbConnection connection, DbTransaction transaction) =>
        Exec(connection, transaction, "SELECT pg_advisory_xact_lock(8675309001)");

    public override void Dispose() => _dataSource.Dispose();

    internal static NpgsqlConnectionStringBuilder ParseUri(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var u) || (u.Scheme != "postgres" && u.Scheme != "postgresql"))
            throw new ConfigException("--storage", [$"'{uri}' is not a postgres://user:password@host:port/database URI"]);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = u.Host,
            Port = u.IsDefaultPort || u.Port <= 0 ? 5432 : u.Port,
            Database = Uri.UnescapeDataString(u.AbsolutePath.TrimStart('/')),
        };
        if (u.UserInfo.Length > 0)
        {
            var parts = u.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2) builder.Password = Uri.UnescapeDataString(parts[1]);
        }
        var problems = new List<string>();
        if (string.IsNullOrEmpty(builder.Database)) problems.Add($"'{uri}' names no database");
        foreach (var pair in u.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            try
            {
                builder[Uri.UnescapeDataString(kv[0])] = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
            }
            catch (ArgumentException e)
            {
                problems.Add($"connection setting '{kv[0]}': {e.Message}");
            }
        }
        if (problems.Count > 0) throw new ConfigException("--storage", problems);
        return builder;
    }
}
