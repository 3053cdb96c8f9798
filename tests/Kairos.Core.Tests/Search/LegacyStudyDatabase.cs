using Kairos.Search;
using Kairos.Search.Pruners;

namespace Kairos.Tests.Search;

/// <summary>
/// A fixture of what Kairos schema 1 and 2 databases held before the move to Optuna's schema: the DDL exactly as the
/// earlier <c>StudySchema</c> emitted it, and one study of five trials covering every state (complete with blocks,
/// pruned at a rung after a lost attempt, failed with a reason, an enqueued waiting trial, a running trial of a dead
/// worker), a NULL (NaN) intermediate value, a user attribute and a successive-halving rung.
/// </summary>
internal static class LegacyStudyDatabase
{
    public const string Study = "legacy";

    /// <summary>Settings of the fixture's study: a short stale timeout, so the dead worker's trial is retried at once.</summary>
    public static readonly StudyOptions Options = new()
    {
        Seed = 3,
        Pruner = new PrunerOptions { Kind = PrunerKind.None },
        HeartbeatSeconds = 0.1,
        StaleAfterSeconds = 0.5,
        ObjectiveKind = "test",
        ObjectiveSpec = """{"steps": 3}""",
    };

    public static readonly FloatDistribution X = new(-5, 5, false);
    public static readonly FloatDistribution Lr = new(1e-4, 1, true);
    public static readonly IntDistribution Depth = new(2, 12, false);
    public static readonly CategoricalDistribution Kind = new(["a", "b", "c"]);

    public static IReadOnlyList<string> Statements(bool postgres, int version)
    {
        var pk = postgres ? "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY";
        var real = postgres ? "DOUBLE PRECISION" : "REAL";
        var integer = postgres ? "BIGINT" : "INTEGER";
        var overriding = postgres ? " OVERRIDING SYSTEM VALUE" : "";
        var statements = new List<string>
        {
            "CREATE TABLE kairos_schema (version INTEGER NOT NULL, min_reader_version INTEGER NOT NULL, applied_at TEXT NOT NULL)",
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
            "INSERT INTO kairos_schema VALUES (1, 1, '2026-01-01T00:00:00.0000000Z')",
        };
        if (version >= 2)
            statements.AddRange(
            [
                $"CREATE TABLE trial_blocks (trial_id {integer} NOT NULL REFERENCES trials(trial_id), block {integer} NOT NULL, " +
                $"start_time {integer} NOT NULL, end_time {integer} NOT NULL, rows_n {integer} NOT NULL, log_likelihood {real} NOT NULL, " +
                $"trades {integer} NOT NULL, ret_sum {real} NOT NULL, ret_sum2 {real} NOT NULL, ret_sum3 {real} NOT NULL, ret_sum4 {real} NOT NULL, " +
                "PRIMARY KEY (trial_id, block))",
                "INSERT INTO kairos_schema VALUES (2, 2, '2026-01-01T00:00:00.0000000Z')",
            ]);

        static string Q(string s) => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";
        statements.Add($"INSERT INTO studies (study_id, name, direction, settings, objective_kind, target_trials, created_at){overriding} " +
                       $"VALUES (1, {Q(Study)}, 'minimize', {Q(Options.ToJson())}, 'test', 5, '2026-01-02T03:04:05.0000000Z')");
        string Trial(int id, int number, string state, string value, int attempt, int lost, string worker, string heartbeat, string history,
            string started, string completed, string reason) =>
            "INSERT INTO trials (trial_id, study_id, number, state, value, attempt, lost_attempts, worker_id, heartbeat_at, history, started_at, " +
            $"completed_at, duration_s, fail_reason){overriding} VALUES ({id}, 1, {number}, '{state}', {value}, {attempt}, {lost}, {worker}, {heartbeat}, " +
            $"{history}, {started}, {completed}, NULL, {reason})";
        statements.AddRange(
        [
            Trial(1, 0, "complete", "0.5", 1, 0, "'w1'", "NULL", "'[]'", "'2026-01-02T03:04:05.0000000Z'", "'2026-01-02T03:04:07.5000000Z'", "NULL"),
            Trial(2, 1, "pruned", "1.25", 2, 1, "'w2'", "NULL", "'[0]'", "'2026-01-02T03:05:00.0000000Z'", "'2026-01-02T03:05:01.0000000Z'", "NULL"),
            Trial(3, 2, "failed", "NULL", 1, 0, "'w1'", "NULL", "'[0,1]'", "'2026-01-02T03:06:00.0000000Z'", "'2026-01-02T03:06:00.2500000Z'", "'ValueError: boom'"),
            Trial(4, 3, "waiting", "NULL", 0, 0, "NULL", "NULL", "NULL", "NULL", "NULL", "NULL"),
            Trial(5, 4, "running", "NULL", 1, 0, "'w3'", "1.0", "'[0,1]'", "'2026-01-02T03:07:00.0000000Z'", "NULL", "NULL"),
        ]);
        foreach (var (trial, x, lr, depth, kind) in new[] { (1, 1.0, 0.01, 6L, 1), (2, 3.5, 0.5, 2L, 0), (3, -1.0, 0.001, 9L, 2) })
            statements.Add("INSERT INTO trial_params (trial_id, name, distribution, value) VALUES " +
                           $"({trial}, 'x', {Q(X.ToJson())}, {x:R}), ({trial}, 'lr', {Q(Lr.ToJson())}, {lr:R}), " +
                           $"({trial}, 'depth', {Q(Depth.ToJson())}, {depth}), ({trial}, 'kind', {Q(Kind.ToJson())}, {kind})");
        statements.Add($"INSERT INTO trial_params (trial_id, name, distribution, value) VALUES (4, 'x', {Q(X.ToJson())}, 2.25), (5, 'x', {Q(X.ToJson())}, -4.5)");
        statements.Add("INSERT INTO trial_intermediate_values (trial_id, step, value) VALUES (1, 0, 1.5), (1, 1, NULL), (1, 2, 0.5), (2, 0, 2.0), (2, 1, 1.25)");
        statements.Add("INSERT INTO trial_attrs (trial_id, key, value) VALUES (1, 'best_iterations', 'EU:5'), (2, 'sh_rung_0', '1.25')");
        statements.Add("INSERT INTO trial_attempts (trial_id, attempt, worker_id, started_at, ended_at, outcome, detail) VALUES " +
                       "(1, 1, 'w1', '2026-01-02T03:04:05.0000000Z', '2026-01-02T03:04:07.5000000Z', 'complete', NULL), " +
                       "(2, 1, 'w9', '2026-01-02T03:04:30.0000000Z', '2026-01-02T03:04:59.0000000Z', 'lost', 'no heartbeat'), " +
                       "(2, 2, 'w2', '2026-01-02T03:05:00.0000000Z', '2026-01-02T03:05:01.0000000Z', 'pruned', NULL), " +
                       "(3, 1, 'w1', '2026-01-02T03:06:00.0000000Z', '2026-01-02T03:06:00.2500000Z', 'failed', 'ValueError: boom'), " +
                       "(5, 1, 'w3', '2026-01-02T03:07:00.0000000Z', NULL, 'running', NULL)");
        if (version >= 2)
            statements.Add("INSERT INTO trial_blocks VALUES (1, 0, 100, 199, 10, -0.6, 4, 1.5, 2.5, 3.5, 4.5), (1, 1, 200, 299, 11, -0.7, 5, -1.5, 2.25, -3.25, 5.5)");
        return statements;
    }

    /// <summary>The fixture's blocks of trial 0 (schema 2 only).</summary>
    public static IReadOnlyList<PerformanceBlock> Blocks { get; } =
    [
        new() { Index = 0, StartTime = 100, EndTime = 199, Rows = 10, MeanLogLikelihood = -0.6, Trades = 4, ReturnSum = 1.5, ReturnSum2 = 2.5, ReturnSum3 = 3.5, ReturnSum4 = 4.5 },
        new() { Index = 1, StartTime = 200, EndTime = 299, Rows = 11, MeanLogLikelihood = -0.7, Trades = 5, ReturnSum = -1.5, ReturnSum2 = 2.25, ReturnSum3 = -3.25, ReturnSum4 = 5.5 },
    ];
}
