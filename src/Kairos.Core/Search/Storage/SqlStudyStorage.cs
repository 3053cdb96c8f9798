using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Kairos.Errors;

namespace Kairos.Search.Storage;

/// <summary>
/// The study storage in plain SQL shared by both backends, on Optuna's relational schema (see
/// <see cref="StudySchema"/>); a backend supplies connections, the write-transaction kind, the database clock,
/// row-locking clauses and its dialect. Heartbeats and staleness use the database clock, so workers on machines
/// with skewed clocks agree.
/// </summary>
public abstract partial class SqlStudyStorage : IStudyStorage
{
    /// <summary>Study user attributes that show Optuna's tools what Kairos keeps in <c>kairos_studies</c>.</summary>
    internal const string ObjectiveKindAttribute = "kairos.objective_kind";
    internal const string ObjectiveSpecAttribute = "kairos.objective_spec";
    internal const string SettingsAttribute = "kairos.settings";
    internal const string TargetTrialsAttribute = "kairos.target_trials";

    private readonly Lock _migrationGate = new();
    private bool _migrated;

    public abstract string Location { get; }

    /// <summary>True on PostgreSQL (enum types, SERIAL keys, timestamps), false on SQLite.</summary>
    protected abstract bool IsPostgres { get; }

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

    /// <summary>Serialises concurrent first-use migrations (advisory lock on PostgreSQL).</summary>
    protected abstract void LockForMigration(DbConnection connection, DbTransaction transaction);

    /// <summary>True when the table exists in the database.</summary>
    protected abstract bool TableExists(DbConnection connection, DbTransaction transaction, string table);

    /// <summary>After rows were inserted with explicit keys: move the key's sequence past them (PostgreSQL).</summary>
    protected abstract void AdvanceKey(DbConnection connection, DbTransaction transaction, string table, string column);

    /// <summary>Optuna's DATETIME value as a parameter: SQLAlchemy's SQLite text, or a PostgreSQL timestamp.</summary>
    protected abstract object OptunaTime(DateTime localTime);

    public abstract void Dispose();

    public StudyRecord CreateOrLoadStudy(string name, StudyOptions options, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ConfigException("study", ["study name is empty"]);
        options.Validate($"study '{name}'");
        return Write((c, tx) =>
        {
            Exec(c, tx, "INSERT INTO studies (study_name) VALUES (@n) ON CONFLICT (study_name) DO NOTHING", ("n", name));
            var studyId = ToLong(Scalar(c, tx, "SELECT study_id FROM studies WHERE study_name = @n", ("n", name)));
            Exec(c, tx, $"INSERT INTO study_directions (direction, study_id, objective) VALUES ({DirectionSql(options.Direction)}, @s, 0) " +
                        "ON CONFLICT (study_id, objective) DO NOTHING", ("s", studyId));
            var adopted = Exec(c, tx, "INSERT INTO kairos_studies (study_id, settings, objective_kind, target_trials, created_at) " +
                                      "VALUES (@s, @o, @k, 0, @t) ON CONFLICT (study_id) DO NOTHING",
                ("s", studyId), ("o", options.ToJson()), ("k", options.ObjectiveKind), ("t", Iso(now)));
            if (adopted == 1)
            {
                UpsertStudyAttribute(c, tx, studyId, ObjectiveKindAttribute, OptunaJson.String(options.ObjectiveKind));
                UpsertStudyAttribute(c, tx, studyId, ObjectiveSpecAttribute, options.ObjectiveSpec);
                UpsertStudyAttribute(c, tx, studyId, SettingsAttribute, options.ToJson());
                UpsertStudyAttribute(c, tx, studyId, TargetTrialsAttribute, "0");
            }
            var record = ReadStudy(c, tx, name)!;
            var differences = Differences(record.Options, options);
            var direction = StoredDirection(c, tx, studyId);
            if (direction is { } d && d != options.Direction)
                differences.Add($"direction (Optuna's study_directions): stored {Name(d)}, requested {Name(options.Direction)}");
            if (differences.Count > 0)
                throw new ConfigException($"{Location} study '{name}'",
                    differences.Distinct().Select(x => x + " (the stored study wins: use another study name to change settings)").ToList());
            return record;
        });
    }

    public StudyRecord? FindStudy(string name) => Read(c => ReadStudy(c, null, name));

    public IReadOnlyList<StudySummary> ListStudies() => Read(c =>
    {
        var sql = "SELECT s.study_name, k.settings, k.target_trials, k.created_at, CAST(d.direction AS TEXT), " +
                  "SUM(CASE WHEN t.state = 'WAITING' THEN 1 ELSE 0 END), SUM(CASE WHEN t.state = 'RUNNING' THEN 1 ELSE 0 END), " +
                  "SUM(CASE WHEN t.state = 'COMPLETE' THEN 1 ELSE 0 END), SUM(CASE WHEN t.state = 'PRUNED' THEN 1 ELSE 0 END), " +
                  "SUM(CASE WHEN t.state = 'FAIL' THEN 1 ELSE 0 END), " +
                  "MIN(CASE WHEN t.state = 'COMPLETE' THEN v.value END), MAX(CASE WHEN t.state = 'COMPLETE' THEN v.value END) " +
                  "FROM studies s LEFT JOIN kairos_studies k ON k.study_id = s.study_id " +
                  "LEFT JOIN study_directions d ON d.study_id = s.study_id AND d.objective = 0 " +
                  "LEFT JOIN trials t ON t.study_id = s.study_id LEFT JOIN trial_values v ON v.trial_id = t.trial_id AND v.objective = 0 " +
                  "GROUP BY s.study_id, s.study_name, k.settings, k.target_trials, k.created_at, d.direction ORDER BY s.study_name";
        var list = new List<StudySummary>();
        using var cmd = Cmd(c, null, sql);
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var options = OptionsOf(r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(4) ? null : r.GetValue(4).ToString());
            var best = options.Direction == StudyDirection.Minimize ? NullableDouble(r, 10) : NullableDouble(r, 11);
            list.Add(new StudySummary(r.GetString(0), options.Direction, r.IsDBNull(2) ? 0 : ToInt(r.GetValue(2)),
                IntOrZero(r, 5), IntOrZero(r, 6), IntOrZero(r, 7), IntOrZero(r, 8), IntOrZero(r, 9),
                best, options.ObjectiveKind, r.IsDBNull(3) ? DateTimeOffset.UnixEpoch : ParseIso(r.GetString(3))));
        }
        return list;
    });

    public int EnsureTargetTrials(long studyId, int target) => Write((c, tx) =>
    {
        if (Exec(c, tx, "UPDATE kairos_studies SET target_trials = @t WHERE study_id = @s AND target_trials < @t", ("t", (long)target), ("s", studyId)) == 1)
            UpsertStudyAttribute(c, tx, studyId, TargetTrialsAttribute, target.ToString(CultureInfo.InvariantCulture));
        return ToInt(Scalar(c, tx, "SELECT target_trials FROM kairos_studies WHERE study_id = @s", ("s", studyId)));
    });

    /// <summary>
    /// Brings the database to <see cref="StudySchema.Version"/> under the write or advisory lock: creates Optuna's
    /// tables (unless Optuna made them already) and the side tables, or migrates a version 1 or 2 database.
    /// </summary>
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
            if (current < StudySchema.Version)
            {
                var legacy = current is 1 or 2 ? LegacyStudies.Read(c, tx, current) : null;
                if (legacy is not null) LegacyStudies.Drop(c, tx);
                if (TableExists(c, tx, "version_info")) CheckOptunaVersion(c, tx);
                else foreach (var statement in StudySchema.OptunaTables(IsPostgres)) Exec(c, tx, statement);
                foreach (var statement in StudySchema.KairosTables(IsPostgres)) Exec(c, tx, statement);
                if (legacy is not null) WriteLegacy(c, tx, legacy);
                Exec(c, tx, "INSERT INTO kairos_schema (version, min_reader_version, applied_at) VALUES (@v, @m, @t)",
                    ("v", (long)StudySchema.Version), ("m", (long)StudySchema.MinReaderOf(StudySchema.Version)), ("t", Iso(DateTimeOffset.UtcNow)));
            }
            else
            {
                CheckOptunaVersion(c, tx);
            }
            tx.Commit();
            _migrated = true;
        }
    }

    private void CheckOptunaVersion(DbConnection c, DbTransaction tx)
    {
        var version = Scalar(c, tx, "SELECT schema_version FROM version_info WHERE version_info_id = 1");
        if (version is null || ToInt(version) != StudySchema.OptunaSchemaVersion)
            throw new ConfigException(Location,
                [$"Optuna schema version {version ?? "(none)"} in version_info; Kairos reads Optuna's schema version {StudySchema.OptunaSchemaVersion} (Optuna 3.x)"]);
    }

    private StudyRecord? ReadStudy(DbConnection c, DbTransaction? tx, string name)
    {
        using var cmd = Cmd(c, tx, "SELECT s.study_id, k.settings, k.target_trials, k.created_at, CAST(d.direction AS TEXT) FROM studies s " +
                                   "LEFT JOIN kairos_studies k ON k.study_id = s.study_id " +
                                   "LEFT JOIN study_directions d ON d.study_id = s.study_id AND d.objective = 0 WHERE s.study_name = @n", ("n", name));
        using var r = cmd.ExecuteReader();
        if (!r.Read()) return null;
        var options = OptionsOf(r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(4) ? null : r.GetValue(4).ToString());
        return new StudyRecord(ToLong(r.GetValue(0)), name, options, r.IsDBNull(2) ? 0 : ToInt(r.GetValue(2)),
            r.IsDBNull(3) ? DateTimeOffset.UnixEpoch : ParseIso(r.GetString(3)));
    }

    /// <summary>Kairos's settings, or for a study Optuna made (no Kairos row yet) the defaults with Optuna's direction.</summary>
    private static StudyOptions OptionsOf(string? settings, string? optunaDirection) =>
        settings is not null
            ? StudyOptions.FromJson(settings)
            : new StudyOptions { Direction = optunaDirection == "MAXIMIZE" ? StudyDirection.Maximize : StudyDirection.Minimize };

    private static StudyDirection? StoredDirection(DbConnection c, DbTransaction tx, long studyId) =>
        Scalar(c, tx, "SELECT CAST(direction AS TEXT) FROM study_directions WHERE study_id = @s AND objective = 0", ("s", studyId))?.ToString() switch
        {
            "MINIMIZE" => StudyDirection.Minimize,
            "MAXIMIZE" => StudyDirection.Maximize,
            _ => null,
        };

    private static void UpsertStudyAttribute(DbConnection c, DbTransaction tx, long studyId, string key, string valueJson) =>
        Exec(c, tx, "INSERT INTO study_user_attributes (study_id, key, value_json) VALUES (@s, @k, @v) " +
                    "ON CONFLICT (study_id, key) DO UPDATE SET value_json = excluded.value_json", ("s", studyId), ("k", key), ("v", valueJson));

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

    /// <summary>
    /// Optuna stores naive local times (<c>datetime.now()</c>); Kairos writes the same, so a trial's start and end read
    /// alike whichever writer made it.
    /// </summary>
    protected static DateTime LocalTime(DateTimeOffset t) => DateTime.SpecifyKind(t.ToLocalTime().DateTime, DateTimeKind.Unspecified);

    /// <summary>Reads an Optuna DATETIME (SQLite text or a PostgreSQL timestamp) as the local time it is.</summary>
    protected static DateTimeOffset? ReadOptunaTime(object? v) => v switch
    {
        null or DBNull => null,
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Local)),
        string s => new DateTimeOffset(DateTime.SpecifyKind(
            DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.None), DateTimeKind.Local)),
        _ => throw new FormatException($"unexpected time value {v} ({v.GetType().Name})"),
    };

    protected static string Name(StudyDirection d) => d.ToString().ToLowerInvariant();

    /// <summary>Optuna's state names are literals in SQL (on PostgreSQL they are enum values, which text parameters are not).</summary>
    protected static string StateSql(TrialState s) => s switch
    {
        TrialState.Waiting => "'WAITING'",
        TrialState.Running => "'RUNNING'",
        TrialState.Complete => "'COMPLETE'",
        TrialState.Pruned => "'PRUNED'",
        TrialState.Failed => "'FAIL'",
        _ => throw new ArgumentOutOfRangeException(nameof(s), s, "unknown trial state"),
    };

    protected static TrialState ParseState(string s) => s switch
    {
        "WAITING" => TrialState.Waiting,
        "RUNNING" => TrialState.Running,
        "COMPLETE" => TrialState.Complete,
        "PRUNED" => TrialState.Pruned,
        "FAIL" => TrialState.Failed,
        _ => throw new FormatException($"unknown Optuna trial state '{s}'"),
    };

    private static string DirectionSql(StudyDirection d) => d == StudyDirection.Maximize ? "'MAXIMIZE'" : "'MINIMIZE'";
}
