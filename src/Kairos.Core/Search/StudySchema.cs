namespace Kairos.Search;

/// <summary>
/// The study database schema, identical on SQLite and PostgreSQL up to column types. Version 1 is
/// created on first use; later versions add migrations to <see cref="Migrations"/>. A database
/// whose <c>min_reader_version</c> is above <see cref="Version"/> is refused.
/// </summary>
internal static class StudySchema
{
    /// <summary>Version 2 adds <c>trial_blocks</c>, the per-block performance series of complete trials.</summary>
    public const int Version = 2;

    /// <summary>
    /// The oldest schema a Kairos must read to use a database at <paramref name="version"/>: from 2 on, 2, since a
    /// Kairos that knows no <c>trial_blocks</c> would complete trials without their series.
    /// </summary>
    public static int MinReaderOf(int version) => version >= 2 ? 2 : 1;

    /// <summary>Statements that bring a database from version (index) to version (index + 1).</summary>
    public static IReadOnlyList<string[]> Migrations(string pk, string real, string integer) =>
    [
        [
            $"CREATE TABLE studies (study_id {pk}, name TEXT NOT NULL UNIQUE, direction TEXT NOT NULL, settings TEXT NOT NULL, " +
            $"objective_kind TEXT NOT NULL, target_trials {integer} NOT NULL, created_at TEXT NOT NULL)",
            $"CREATE TABLE trials (trial_id {pk}, study_id {integer} NOT NULL REFERENCES studies(study_id), number {integer} NOT NULL, " +
            $"state TEXT NOT NULL, value {real}, attempt {integer} NOT NULL, lost_attempts {integer} NOT NULL, worker_id TEXT, " +
            $"heartbeat_at {real}, history TEXT, started_at TEXT, completed_at TEXT, duration_s {real}, fail_reason TEXT, " +
            "UNIQUE (study_id, number))",
            "CREATE INDEX trials_study_state ON trials (study_id, state)",
            $"CREATE TABLE trial_params (trial_id {integer} NOT NULL REFERENCES trials(trial_id), name TEXT NOT NULL, " +
            $"distribution TEXT NOT NULL, value {real} NOT NULL, PRIMARY KEY (trial_id, name))",
            $"CREATE TABLE trial_intermediate_values (trial_id {integer} NOT NULL REFERENCES trials(trial_id), step {integer} NOT NULL, " +
            $"value {real}, PRIMARY KEY (trial_id, step))",
            $"CREATE TABLE trial_attrs (trial_id {integer} NOT NULL REFERENCES trials(trial_id), key TEXT NOT NULL, value TEXT NOT NULL, " +
            "PRIMARY KEY (trial_id, key))",
            "CREATE INDEX trial_attrs_key ON trial_attrs (key)",
            $"CREATE TABLE trial_attempts (trial_id {integer} NOT NULL REFERENCES trials(trial_id), attempt {integer} NOT NULL, " +
            "worker_id TEXT NOT NULL, started_at TEXT NOT NULL, ended_at TEXT, outcome TEXT NOT NULL, detail TEXT, " +
            "PRIMARY KEY (trial_id, attempt))",
        ],
        [
            $"CREATE TABLE trial_blocks (trial_id {integer} NOT NULL REFERENCES trials(trial_id), block {integer} NOT NULL, " +
            $"start_time {integer} NOT NULL, end_time {integer} NOT NULL, rows_n {integer} NOT NULL, log_likelihood {real} NOT NULL, " +
            $"trades {integer} NOT NULL, ret_sum {real} NOT NULL, ret_sum2 {real} NOT NULL, ret_sum3 {real} NOT NULL, ret_sum4 {real} NOT NULL, " +
            "PRIMARY KEY (trial_id, block))",
        ],
    ];
}
