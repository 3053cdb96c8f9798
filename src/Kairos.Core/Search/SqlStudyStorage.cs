using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Kairos.Errors;

namespace Kairos.Search;

/// <summary>
/// The study storage in plain SQL shared by both backends; a backend supplies connections,
/// the write-transaction kind, the database clock, row-locking clauses and column types.
/// Heartbeats and staleness use the database clock, so workers on machines with skewed clocks agree.
/// </summary>
public abstract partial class SqlStudyStorage : IStudyStorage
{
    private readonly Lock _migrationGate = new();
    private bool _migrated;

    public abstract string Location { get; }

    /// <summary>An open connection with the backend's session settings applied.</summary>
    protected abstract DbConnection OpenConnection();

    /// <summary>A transaction that may write (SQLite: BEGIN IMMEDIATE, so it never upgrades a read lock).</summary>
    protected abstract DbTransaction BeginWrite(DbConnection connection);

    /// <summary>SQL expression for "now" as Unix seconds (double) on the database clock.</summary>
    protected abstract string NowSql { get; }

    /// <summary>Suffix that locks the selected rows for this transaction ("" where the transaction already serialises).</summary>
    protected abstract string ForUpdate { get; }

    /// <summary>Suffix that locks the selected rows and skips rows other transactions hold.</summary>
    protected abstract string SkipLocked { get; }

    protected abstract (string Pk, string Real, string Integer) ColumnTypes { get; }

    /// <summary>Serialises concurrent first-use migrations (advisory lock on PostgreSQL).</summary>
    protected abstract void LockForMigration(DbConnection connection, DbTransaction transaction);

    public abstract void Dispose();

    public StudyRecord CreateOrLoadStudy(string name, StudyOptions options, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ConfigException("study", ["study name is empty"]);
        options.Validate($"study '{name}'");
        return Write((c, tx) =>
        {
            Exec(c, tx, "INSERT INTO studies (name, direction, settings, objective_kind, target_trials, created_at) " +
                        "VALUES (@n, @d, @s, @k, 0, @t) ON CONFLICT (name) DO NOTHING",
                ("n", name), ("d", Name(options.Direction)), ("s", options.ToJson()), ("k", options.ObjectiveKind), ("t", Iso(now)));
            var record = ReadStudy(c, tx, name)!;
            var differences = Differences(record.Options, options);
            if (differences.Count > 0)
                throw new ConfigException($"{Location} study '{name}'",
                    differences.Select(d => d + " (the stored study wins: use another study name to change settings)").ToList());
            return record;
        });
    }

    public StudyRecord? FindStudy(string name) => Read(c => ReadStudy(c, null, name));

    public IReadOnlyList<StudySummary> ListStudies() => Read(c =>
    {
        var sql = "SELECT s.name, s.settings, s.target_trials, s.created_at, " +
                  "SUM(CASE WHEN t.state = 'waiting' THEN 1 ELSE 0 END), SUM(CASE WHEN t.state = 'running' THEN 1 ELSE 0 END), " +
                  "SUM(CASE WHEN t.state = 'complete' THEN 1 ELSE 0 END), SUM(CASE WHEN t.state = 'pruned' THEN 1 ELSE 0 END), " +
                  "SUM(CASE WHEN t.state = 'failed' THEN 1 ELSE 0 END), " +
                  "MIN(CASE WHEN t.state = 'complete' THEN t.value END), MAX(CASE WHEN t.state = 'complete' THEN t.value END) " +
                  "FROM studies s LEFT JOIN trials t ON t.study_id = s.study_id " +
                  "GROUP BY s.study_id, s.name, s.settings, s.target_trials, s.created_at ORDER BY s.name";
        var list = new List<StudySummary>();
        using var cmd = Cmd(c, null, sql);
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var options = StudyOptions.FromJson(r.GetString(1));
            var best = options.Direction == StudyDirection.Minimize ? NullableDouble(r, 9) : NullableDouble(r, 10);
            list.Add(new StudySummary(r.GetString(0), options.Direction, ToInt(r.GetValue(2)),
                IntOrZero(r, 4), IntOrZero(r, 5), IntOrZero(r, 6), IntOrZero(r, 7), IntOrZero(r, 8),
                best, options.ObjectiveKind, ParseIso(r.GetString(3))));
        }
        return list;
    });

    public int EnsureTargetTrials(long studyId, int target) => Write((c, tx) =>
    {
        Exec(c, tx, "UPDATE studies SET target_trials = @t WHERE study_id = @s AND target_trials < @t", ("t", (long)target), ("s", studyId));
        return ToInt(Scalar(c, tx, "SELECT target_trials FROM studies WHERE study_id = @s", ("s", studyId)));
    });

    protected void EnsureSchema()
    {
        lock (_migrationGate)
        {
            if (_migrated) return;
            using var c = OpenConnection();
            using var tx = BeginWrite(c);
            LockForMigration(c, tx);
            Exec(c, tx, "CREATE TABLE IF NOT EXISTS kairos_schema (version INTEGER NOT NULL, min_reader_version INTEGER NOT NULL, applied_at TEXT NOT NULL)");
            var current = 0;
            var minReader = 0;
            using (var cmd = Cmd(c, tx, "SELECT version, min_reader_version FROM kairos_schema ORDER BY version DESC LIMIT 1"))
            using (var r = cmd.ExecuteReader())
            {
                if (r.Read())
                {
                    current = ToInt(r.GetValue(0));
                    minReader = ToInt(r.GetValue(1));
                }
            }
            if (minReader > StudySchema.Version)
                throw new ConfigException(Location,
                    [$"study schema version {current} needs a Kairos that reads version {minReader} or later; this one reads up to {StudySchema.Version}"]);
            var (pk, real, integer) = ColumnTypes;
            var migrations = StudySchema.Migrations(pk, real, integer);
            for (var v = current; v < StudySchema.Version; v++)
            {
                foreach (var statement in migrations[v]) Exec(c, tx, statement);
                Exec(c, tx, "INSERT INTO kairos_schema (version, min_reader_version, applied_at) VALUES (@v, @m, @t)",
                    ("v", (long)(v + 1)), ("m", (long)StudySchema.MinReaderOf(v + 1)), ("t", Iso(DateTimeOffset.UtcNow)));
            }
            tx.Commit();
            _migrated = true;
        }
    }

    private StudyRecord? ReadStudy(DbConnection c, DbTransaction? tx, string name)
    {
        using var cmd = Cmd(c, tx, "SELECT study_id, settings, target_trials, created_at FROM studies WHERE name = @n", ("n", name));
        using var r = cmd.ExecuteReader();
        if (!r.Read()) return null;
        return new StudyRecord(ToLong(r.GetValue(0)), name, StudyOptions.FromJson(r.GetString(1)), ToInt(r.GetValue(2)), ParseIso(r.GetString(3)));
    }

    private static List<string> Differences(StudyOptions stored, StudyOptions requested)
    {
        using var a = JsonDocument.Parse(stored.ToJson());
        using var b = JsonDocument.Parse(requested.ToJson());
        var differences = new List<string>();
        foreach (var p in a.RootElement.EnumerateObject())
        {
            var other = b.RootElement.GetProperty(p.Name);
            if (p.Value.GetRawText() != other.GetRawText())
                differences.Add($"{p.Name}: stored {p.Value.GetRawText()}, requested {other.GetRawText()}");
        }
        return differences;
    }

    protected T Read<T>(Func<DbConnection, T> body)
    {
        EnsureSchema();
        using var c = OpenConnection();
        return body(c);
    }

    protected T Write<T>(Func<DbConnection, DbTransaction, T> body)
    {
        EnsureSchema();
        using var c = OpenConnection();
        using var tx = BeginWrite(c);
        var result = body(c, tx);
        tx.Commit();
        return result;
    }

    protected static DbCommand Cmd(DbConnection c, DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (n, v) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = "@" + n;
            p.Value = v ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    protected static int Exec(DbConnection c, DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Cmd(c, tx, sql, parameters);
        return cmd.ExecuteNonQuery();
    }

    protected static object? Scalar(DbConnection c, DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Cmd(c, tx, sql, parameters);
        var v = cmd.ExecuteScalar();
        return v is DBNull ? null : v;
    }

    private static int IntOrZero(DbDataReader r, int i) => r.IsDBNull(i) ? 0 : ToInt(r.GetValue(i));

    private static double? NullableDouble(DbDataReader r, int i) => r.IsDBNull(i) ? null : Convert.ToDouble(r.GetValue(i), CultureInfo.InvariantCulture);

    protected static double ToDouble(object? v) => Convert.ToDouble(v, CultureInfo.InvariantCulture);

    protected static int ToInt(object? v) => Convert.ToInt32(v, CultureInfo.InvariantCulture);

    protected static long ToLong(object? v) => Convert.ToInt64(v, CultureInfo.InvariantCulture);

    protected static string Iso(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    protected static DateTimeOffset ParseIso(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    protected static string Name(TrialState s) => s.ToString().ToLowerInvariant();

    protected static string Name(StudyDirection d) => d.ToString().ToLowerInvariant();

    protected static TrialState ParseState(string s) => Enum.Parse<TrialState>(s, ignoreCase: true);
}
