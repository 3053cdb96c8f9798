namespace Kairos.Search.Storage;

/// <summary>
/// The study database schema. From version 3 on it is Optuna's relational schema (the tables, columns, constraints
/// and <c>version_info</c> that Optuna 3.1's <c>RDBStorage</c> creates: schema version 12, alembic revision
/// <c>v3.0.0.d</c>), so <c>optuna.load_study</c> and Optuna workers open a Kairos study as their own, plus side tables
/// Optuna ignores (<c>kairos_*</c>) for what Kairos adds: study settings and budget, trial leases (worker, attempt,
/// heartbeat, sampling history), every attempt, and the per-block performance series. Versions 1 and 2 (Kairos's own
/// tables) are migrated to 3 on first use. A database whose <c>min_reader_version</c> is above
/// <see cref="Version"/> is refused.
/// </summary>
internal static class StudySchema
{
    /// <summary>Version 3: Optuna's schema plus the <c>kairos_*</c> side tables.</summary>
    public const int Version = 3;

    /// <summary>Optuna's <c>models.SCHEMA_VERSION</c> for the tables Kairos writes (Optuna 3.x).</summary>
    public const int OptunaSchemaVersion = 12;

    /// <summary>The alembic head of Optuna 3.1; Optuna refuses a database stamped with another revision unless upgraded.</summary>
    public const string OptunaAlembicRevision = "v3.0.0.d";

    /// <summary>Recorded as <c>version_info.library_version</c> when Kairos creates the tables.</summary>
    public const string OptunaLibraryVersion = "3.1.0";

    /// <summary>
    /// The oldest schema a Kairos must read to use a database at <paramref name="version"/>: version 3 moved every
    /// table, so a Kairos that reads only 1 or 2 cannot use it; from 2 on a Kairos that knows no blocks would complete
    /// trials without their series.
    /// </summary>
    public static int MinReaderOf(int version) => version >= 3 ? 3 : version >= 2 ? 2 : 1;

    /// <summary>
    /// Optuna 3.1's DDL as SQLAlchemy emits it (the SQLite text is byte for byte what <c>sqlite_master</c> holds for an
    /// Optuna-made database). On PostgreSQL the enum columns are PostgreSQL enum types and the keys SERIAL, as there.
    /// </summary>
    public static IReadOnlyList<string> OptunaTables(bool postgres)
    {
        var pk = postgres ? "SERIAL NOT NULL" : "INTEGER NOT NULL";
        var datetime = postgres ? "TIMESTAMP WITHOUT TIME ZONE" : "DATETIME";
        var direction = postgres ? "studydirection" : "VARCHAR(8)";
        var state = postgres ? "trialstate" : "VARCHAR(8)";
        var valueType = postgres ? "trialvaluetype" : "VARCHAR(7)";
        var intermediateType = postgres ? "trialintermediatevaluetype" : "VARCHAR(7)";
        var statements = new List<string>();
        if (postgres)
            statements.AddRange(
            [
                "CREATE TYPE studydirection AS ENUM ('NOT_SET', 'MINIMIZE', 'MAXIMIZE')",
                "CREATE TYPE trialstate AS ENUM ('RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING')",
                "CREATE TYPE trialvaluetype AS ENUM ('FINITE', 'INF_POS', 'INF_NEG')",
                "CREATE TYPE trialintermediatevaluetype AS ENUM ('FINITE', 'INF_POS', 'INF_NEG', 'NAN')",
            ]);
        statements.AddRange(
        [
            $"CREATE TABLE studies (\n\tstudy_id {pk}, \n\tstudy_name VARCHAR(512) NOT NULL, \n\tPRIMARY KEY (study_id)\n)",
            "CREATE UNIQUE INDEX ix_studies_study_name ON studies (study_name)",
            $"CREATE TABLE version_info (\n\tversion_info_id INTEGER NOT NULL, \n\tschema_version INTEGER, \n\tlibrary_version VARCHAR(256), \n\t" +
            "PRIMARY KEY (version_info_id), \n\tCHECK (version_info_id=1)\n)",
            $"CREATE TABLE study_directions (\n\tstudy_direction_id {pk}, \n\tdirection {direction} NOT NULL, \n\tstudy_id INTEGER NOT NULL, \n\t" +
            "objective INTEGER NOT NULL, \n\tPRIMARY KEY (study_direction_id), \n\tUNIQUE (study_id, objective), \n\t" +
            "FOREIGN KEY(study_id) REFERENCES studies (study_id)\n)",
            Attributes("study_user_attributes", "study_user_attribute_id", "study_id", "studies", pk),
            Attributes("study_system_attributes", "study_system_attribute_id", "study_id", "studies", pk),
            $"CREATE TABLE trials (\n\ttrial_id {pk}, \n\tnumber INTEGER, \n\tstudy_id INTEGER, \n\tstate {state} NOT NULL, \n\t" +
            $"datetime_start {datetime}, \n\tdatetime_complete {datetime}, \n\tPRIMARY KEY (trial_id), \n\t" +
            "FOREIGN KEY(study_id) REFERENCES studies (study_id)\n)",
            Attributes("trial_user_attributes", "trial_user_attribute_id", "trial_id", "trials", pk),
            Attributes("trial_system_attributes", "trial_system_attribute_id", "trial_id", "trials", pk),
            $"CREATE TABLE trial_params (\n\tparam_id {pk}, \n\ttrial_id INTEGER, \n\tparam_name VARCHAR(512), \n\tparam_value FLOAT, \n\t" +
            "distribution_json TEXT, \n\tPRIMARY KEY (param_id), \n\tUNIQUE (trial_id, param_name), \n\t" +
            "FOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n)",
            $"CREATE TABLE trial_values (\n\ttrial_value_id {pk}, \n\ttrial_id INTEGER NOT NULL, \n\tobjective INTEGER NOT NULL, \n\tvalue FLOAT, \n\t" +
            $"value_type {valueType} NOT NULL, \n\tPRIMARY KEY (trial_value_id), \n\tUNIQUE (trial_id, objective), \n\t" +
            "FOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n)",
            $"CREATE TABLE trial_intermediate_values (\n\ttrial_intermediate_value_id {pk}, \n\ttrial_id INTEGER NOT NULL, \n\tstep INTEGER NOT NULL, \n\t" +
            $"intermediate_value FLOAT, \n\tintermediate_value_type {intermediateType} NOT NULL, \n\tPRIMARY KEY (trial_intermediate_value_id), \n\t" +
            "UNIQUE (trial_id, step), \n\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n)",
            $"CREATE TABLE trial_heartbeats (\n\ttrial_heartbeat_id {pk}, \n\ttrial_id INTEGER NOT NULL, \n\theartbeat {datetime} NOT NULL, \n\t" +
            "PRIMARY KEY (trial_heartbeat_id), \n\tUNIQUE (trial_id), \n\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n)",
            "CREATE TABLE alembic_version (\n\tversion_num VARCHAR(32) NOT NULL, \n\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n)",
            $"INSERT INTO version_info (version_info_id, schema_version, library_version) VALUES (1, {OptunaSchemaVersion}, '{OptunaLibraryVersion}')",
            $"INSERT INTO alembic_version (version_num) VALUES ('{OptunaAlembicRevision}')",
        ]);
        return statements;
    }

    /// <summary>
    /// The side tables (Optuna ignores them) and two indexes on <c>trials</c>: a unique (study, number), so a trial
    /// number can never be handed out twice whichever writer draws it, and (study, state) for claiming.
    /// </summary>
    public static IReadOnlyList<string> KairosTables(bool postgres)
    {
        var real = postgres ? "DOUBLE PRECISION" : "REAL";
        var big = postgres ? "BIGINT" : "INTEGER";
        return
        [
            "CREATE TABLE IF NOT EXISTS kairos_studies (study_id INTEGER NOT NULL PRIMARY KEY REFERENCES studies (study_id), " +
            "settings TEXT NOT NULL, objective_kind TEXT NOT NULL, target_trials INTEGER NOT NULL, created_at TEXT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS kairos_trials (trial_id INTEGER NOT NULL PRIMARY KEY REFERENCES trials (trial_id), " +
            $"attempt INTEGER NOT NULL, lost_attempts INTEGER NOT NULL, worker_id TEXT, heartbeat_at {real}, history TEXT)",
            "CREATE TABLE IF NOT EXISTS kairos_trial_attempts (trial_id INTEGER NOT NULL REFERENCES trials (trial_id), attempt INTEGER NOT NULL, " +
            "worker_id TEXT NOT NULL, started_at TEXT NOT NULL, ended_at TEXT, outcome TEXT NOT NULL, detail TEXT, PRIMARY KEY (trial_id, attempt))",
            "CREATE TABLE IF NOT EXISTS kairos_trial_blocks (trial_id INTEGER NOT NULL REFERENCES trials (trial_id), block INTEGER NOT NULL, " +
            $"start_time {big} NOT NULL, end_time {big} NOT NULL, rows_n INTEGER NOT NULL, log_likelihood {real} NOT NULL, " +
            $"trades INTEGER NOT NULL, ret_sum {real} NOT NULL, ret_sum2 {real} NOT NULL, ret_sum3 {real} NOT NULL, ret_sum4 {real} NOT NULL, " +
            "PRIMARY KEY (trial_id, block))",
            "CREATE UNIQUE INDEX IF NOT EXISTS kairos_trials_study_number ON trials (study_id, number)",
            "CREATE INDEX IF NOT EXISTS kairos_trials_study_state ON trials (study_id, state)",
        ];
    }

    private static string Attributes(string table, string id, string owner, string ownerTable, string pk) =>
        $"CREATE TABLE {table} (\n\t{id} {pk}, \n\t{owner} INTEGER, \n\t\"key\" VARCHAR(512), \n\tvalue_json TEXT, \n\t" +
        $"PRIMARY KEY ({id}), \n\tUNIQUE ({owner}, \"key\"), \n\tFOREIGN KEY({owner}) REFERENCES {ownerTable} ({owner})\n)";
}
