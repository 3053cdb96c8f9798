using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Kairos.Search.Storage;

public abstract partial class SqlStudyStorage
{
    /// <summary>Optuna's system attribute for a successive-halving rung (as its <c>SuccessiveHalvingPruner</c> writes it).</summary>
    internal const string RungPrefix = "completed_rung_";

    /// <summary>Optuna's system attribute for why a trial failed.</summary>
    internal const string FailReasonKey = "fail_reason";

    private const string RunningOwned =
        "t.trial_id = @id AND t.state = 'RUNNING' AND k.worker_id = @w AND k.attempt = @a";

    public int Enqueue(long studyId, IReadOnlyDictionary<string, (ParamDistribution Distribution, double Value)> fixedParams) =>
        Write((c, tx) =>
        {
            LockStudy(c, tx, studyId);
            var (trialId, number) = InsertTrial(c, tx, studyId, TrialState.Waiting, null);
            Exec(c, tx, "INSERT INTO kairos_trials (trial_id, attempt, lost_attempts) VALUES (@id, 0, 0)", ("id", trialId));
            foreach (var (name, (distribution, value)) in fixedParams) InsertParam(c, tx, trialId, name, distribution, value);
            return number;
        });

    /// <summary>
    /// Re-queues or fails stale Kairos trials, then hands out the lowest-numbered trial Kairos queued, else creates the
    /// next trial under the lock on the study's <c>studies</c> row, the lock Optuna takes to create a trial, so the two
    /// kinds of writers draw trial numbers one after the other. Trials an Optuna worker runs or enqueued are left to it.
    /// </summary>
    public TrialClaim Claim(long studyId, string workerId, double staleAfterSeconds, int maxRetries, DateTimeOffset now) =>
        Write((c, tx) =>
        {
            ReapStale(c, tx, studyId, staleAfterSeconds, maxRetries, now);

            var waiting = Row(c, tx, "SELECT t.trial_id, t.number, k.attempt, k.history FROM trials t JOIN kairos_trials k ON k.trial_id = t.trial_id " +
                                     "WHERE t.study_id = @s AND t.state = 'WAITING' ORDER BY t.number LIMIT 1" + SkipLocked, ("s", studyId));
            if (waiting is not null)
            {
                var trialId = ToLong(waiting[0]);
                var attempt = ToInt(waiting[2]) + 1;
                Exec(c, tx, "UPDATE trials SET state = 'RUNNING', datetime_start = @t WHERE trial_id = @id", ("t", OptunaTime(LocalTime(now))), ("id", trialId));
                Exec(c, tx, $"UPDATE kairos_trials SET attempt = @a, worker_id = @w, heartbeat_at = {NowSql} WHERE trial_id = @id",
                    ("a", (long)attempt), ("w", workerId), ("id", trialId));
                StartAttempt(c, tx, trialId, attempt, workerId, now);
                var lease = new TrialLease(studyId, trialId, ToInt(waiting[1]), attempt, workerId);
                var history = waiting[3] is string h ? JsonSerializer.Deserialize<int[]>(h) : null;
                return new TrialClaim(ClaimStatus.Claimed, lease, ReadParams(c, tx, trialId), history);
            }

            var target = LockStudy(c, tx, studyId);
            var count = ToInt(Scalar(c, tx, "SELECT COUNT(*) FROM trials WHERE study_id = @s", ("s", studyId)));
            if (count < target)
            {
                var (trialId, number) = InsertTrial(c, tx, studyId, TrialState.Running, now);
                Exec(c, tx, $"INSERT INTO kairos_trials (trial_id, attempt, lost_attempts, worker_id, heartbeat_at) VALUES (@id, 1, 0, @w, {NowSql})",
                    ("id", trialId), ("w", workerId));
                StartAttempt(c, tx, trialId, 1, workerId, now);
                return new TrialClaim(ClaimStatus.Claimed, new TrialLease(studyId, trialId, number, 1, workerId),
                    new Dictionary<string, (ParamDistribution, double)>(), null);
            }

            // Only Kairos's own leases can come back to the queue; trials Optuna workers run are theirs to finish.
            var open = ToInt(Scalar(c, tx, "SELECT COUNT(*) FROM trials t JOIN kairos_trials k ON k.trial_id = t.trial_id WHERE t.study_id = @s " +
                                           "AND (t.state = 'WAITING' OR (t.state = 'RUNNING' AND k.worker_id IS NOT NULL))", ("s", studyId)));
            return open > 0 ? TrialClaim.Wait : TrialClaim.Done;
        });

    public bool Heartbeat(TrialLease lease)
    {
        EnsureSchema();
        using var c = OpenConnection();
        return Exec(c, null, $"UPDATE kairos_trials SET heartbeat_at = {NowSql} WHERE trial_id = @id AND worker_id = @w AND attempt = @a " +
                              "AND EXISTS (SELECT 1 FROM trials t WHERE t.trial_id = @id AND t.state = 'RUNNING')", Fence(lease)) == 1;
    }

    public void SetParam(TrialLease lease, string name, ParamDistribution distribution, double value) =>
        Fenced(lease, (c, tx) => InsertParam(c, tx, lease.TrialId, name, distribution, value));

    public void SetHistory(TrialLease lease, IReadOnlyList<int> history) =>
        Fenced(lease, (c, tx) => Exec(c, tx, "UPDATE kairos_trials SET history = @h WHERE trial_id = @id",
            ("h", JsonSerializer.Serialize(history)), ("id", lease.TrialId)));

    public void SetAttribute(TrialLease lease, string key, string value) =>
        Fenced(lease, (c, tx) => UpsertTrialAttribute(c, tx, "trial_user_attributes", lease.TrialId, key, OptunaJson.String(value)));

    public IReadOnlyList<double> RecordRung(TrialLease lease, int rung, double value) =>
        Fenced(lease, (c, tx) =>
        {
            var key = RungKey(rung);
            UpsertTrialAttribute(c, tx, "trial_system_attributes", lease.TrialId, key, OptunaJson.Number(value));
            var values = new List<double>();
            using var cmd = Cmd(c, tx, "SELECT a.value_json FROM trial_system_attributes a JOIN trials t ON t.trial_id = a.trial_id " +
                                       "WHERE t.study_id = @s AND a.key = @k", ("s", lease.StudyId), ("k", key));
            using var r = cmd.ExecuteReader();
            while (r.Read()) values.Add(OptunaJson.ParseNumber(r.GetString(0)));
            return values;
        });

    public void Finish(TrialLease lease, TrialState state, double? value, IReadOnlyDictionary<long, double> intermediateValues,
        string? failReason, DateTimeOffset now, IReadOnlyList<PerformanceBlock>? blocks = null) =>
        Fenced(lease, (c, tx) =>
        {
            Exec(c, tx, $"UPDATE trials SET state = {StateSql(state)}, datetime_complete = @t WHERE trial_id = @id",
                ("t", OptunaTime(LocalTime(now))), ("id", lease.TrialId));
            if (value is { } v) InsertValue(c, tx, lease.TrialId, v);
            InsertIntermediates(c, tx, lease.TrialId, intermediateValues);
            if (failReason is not null) UpsertTrialAttribute(c, tx, "trial_system_attributes", lease.TrialId, FailReasonKey, OptunaJson.String(failReason));
            if (blocks is not null) InsertBlocks(c, tx, lease.TrialId, blocks);
            Exec(c, tx, "UPDATE kairos_trials SET heartbeat_at = NULL WHERE trial_id = @id", ("id", lease.TrialId));
            EndAttempt(c, tx, lease.TrialId, lease.Attempt, state.ToString().ToLowerInvariant(), failReason, now);
            return 0;
        });

    public void Release(TrialLease lease, string reason, DateTimeOffset now) =>
        Fenced(lease, (c, tx) =>
        {
            Requeue(c, tx, lease.TrialId);
            EndAttempt(c, tx, lease.TrialId, lease.Attempt, "interrupted", reason, now);
            return 0;
        });

    public IReadOnlyList<FrozenTrial> GetTrials(long studyId, IReadOnlyCollection<TrialState>? states = null, IReadOnlySet<int>? excludeNumbers = null) =>
        Read(c =>
        {
            var sql = "SELECT t.trial_id, t.number, CAST(t.state AS TEXT), v.value, CAST(v.value_type AS TEXT), k.attempt, k.lost_attempts, k.worker_id, k.history, " +
                      "t.datetime_start, t.datetime_complete FROM trials t LEFT JOIN kairos_trials k ON k.trial_id = t.trial_id " +
                      "LEFT JOIN trial_values v ON v.trial_id = t.trial_id AND v.objective = 0 WHERE t.study_id = @s";
            if (states is { Count: > 0 }) sql += " AND t.state IN (" + string.Join(", ", states.Select(StateSql)) + ")";
            sql += " ORDER BY t.number";
            var rows = new List<object?[]>();
            using (var cmd = Cmd(c, null, sql, ("s", studyId)))
            using (var r = cmd.ExecuteReader())
                while (r.Read())
                {
                    var row = new object?[r.FieldCount];
                    for (var i = 0; i < row.Length; i++) row[i] = r.IsDBNull(i) ? null : r.GetValue(i);
                    if (row[1] is not null && (excludeNumbers is null || !excludeNumbers.Contains(ToInt(row[1])))) rows.Add(row);
                }
            var ids = rows.Select(row => ToLong(row[0])).ToList();
            var parms = new Dictionary<long, (Dictionary<string, double> Values, Dictionary<string, ParamDistribution> Dists)>();
            var inter = new Dictionary<long, Dictionary<long, double>>();
            var attrs = new Dictionary<long, Dictionary<string, string>>();
            var system = new Dictionary<long, Dictionary<string, string>>();
            var blocks = new Dictionary<long, List<PerformanceBlock>>();
            var distCache = new Dictionary<string, ParamDistribution>(StringComparer.Ordinal);
            foreach (var chunk in ids.Chunk(500))
            {
                var inList = string.Join(", ", chunk);
                ForEachRow(c, $"SELECT trial_id, param_name, distribution_json, param_value FROM trial_params WHERE trial_id IN ({inList})", r =>
                {
                    var id = ToLong(r.GetValue(0));
                    if (!parms.TryGetValue(id, out var p)) parms[id] = p = ([], []);
                    var json = r.GetString(2);
                    if (!distCache.TryGetValue(json, out var d)) distCache[json] = d = OptunaJson.ParseDistribution(json);
                    p.Values[r.GetString(1)] = Convert.ToDouble(r.GetValue(3), CultureInfo.InvariantCulture);
                    p.Dists[r.GetString(1)] = d;
                });
                ForEachRow(c, "SELECT trial_id, step, intermediate_value, CAST(intermediate_value_type AS TEXT) FROM trial_intermediate_values " +
                              $"WHERE trial_id IN ({inList})", r =>
                {
                    var id = ToLong(r.GetValue(0));
                    if (!inter.TryGetValue(id, out var m)) inter[id] = m = [];
                    m[ToLong(r.GetValue(1))] = FromOptuna(r.IsDBNull(2) ? null : r.GetValue(2), r.GetValue(3).ToString()!);
                });
                ForEachRow(c, $"SELECT trial_id, key, value_json FROM trial_user_attributes WHERE trial_id IN ({inList})", r =>
                {
                    var id = ToLong(r.GetValue(0));
                    if (!attrs.TryGetValue(id, out var m)) attrs[id] = m = new Dictionary<string, string>(StringComparer.Ordinal);
                    m[r.GetString(1)] = OptunaJson.AttributeText(r.IsDBNull(2) ? "null" : r.GetString(2));
                });
                ForEachRow(c, $"SELECT trial_id, key, value_json FROM trial_system_attributes WHERE trial_id IN ({inList})", r =>
                {
                    var id = ToLong(r.GetValue(0));
                    if (!system.TryGetValue(id, out var m)) system[id] = m = new Dictionary<string, string>(StringComparer.Ordinal);
                    m[r.GetString(1)] = r.IsDBNull(2) ? "null" : r.GetString(2);
                });
                ForEachRow(c, "SELECT trial_id, block, start_time, end_time, rows_n, log_likelihood, trades, ret_sum, ret_sum2, ret_sum3, ret_sum4 " +
                              $"FROM kairos_trial_blocks WHERE trial_id IN ({inList}) ORDER BY trial_id, block", r =>
                {
                    var id = ToLong(r.GetValue(0));
                    if (!blocks.TryGetValue(id, out var list)) blocks[id] = list = [];
                    list.Add(new PerformanceBlock
                    {
                        Index = ToInt(r.GetValue(1)), StartTime = ToLong(r.GetValue(2)), EndTime = ToLong(r.GetValue(3)), Rows = ToInt(r.GetValue(4)),
                        MeanLogLikelihood = ToDouble(r.GetValue(5)), Trades = ToInt(r.GetValue(6)), ReturnSum = ToDouble(r.GetValue(7)),
                        ReturnSum2 = ToDouble(r.GetValue(8)), ReturnSum3 = ToDouble(r.GetValue(9)), ReturnSum4 = ToDouble(r.GetValue(10)),
                    });
                });
            }
            return rows.Select(row =>
            {
                var id = ToLong(row[0]);
                var p = parms.GetValueOrDefault(id, ([], []));
                var state = ParseState(row[2]!.ToString()!);
                var started = ReadOptunaTime(row[9]);
                var completed = ReadOptunaTime(row[10]);
                var sys = system.GetValueOrDefault(id) ?? new Dictionary<string, string>(StringComparer.Ordinal);
                return new FrozenTrial
                {
                    TrialId = id,
                    Number = ToInt(row[1]),
                    State = state,
                    Value = row[4] is null ? null : FromOptuna(row[3], row[4]!.ToString()!),
                    // A trial Optuna made has no lease row: one attempt once started.
                    Attempt = row[5] is null ? (state == TrialState.Waiting ? 0 : 1) : ToInt(row[5]),
                    LostAttempts = row[6] is null ? 0 : ToInt(row[6]),
                    WorkerId = row[7] as string,
                    History = row[8] is string h ? JsonSerializer.Deserialize<int[]>(h) : null,
                    StartedAt = started,
                    CompletedAt = completed,
                    DurationSeconds = started is { } s && completed is { } e ? (e - s).TotalSeconds : null,
                    FailReason = sys.TryGetValue(FailReasonKey, out var reason) ? OptunaJson.AttributeText(reason) : null,
                    Params = p.Values,
                    Distributions = p.Dists,
                    IntermediateValues = inter.GetValueOrDefault(id) ?? [],
                    Attributes = attrs.GetValueOrDefault(id) ?? new Dictionary<string, string>(),
                    SystemAttributes = sys,
                    Blocks = blocks.GetValueOrDefault(id),
                };
            }).ToList();
        });

    public IReadOnlyList<TrialAttempt> GetAttempts(long studyId) => Read(c =>
    {
        var list = new List<TrialAttempt>();
        ForEachRow(c, "SELECT t.number, a.attempt, a.worker_id, a.started_at, a.ended_at, a.outcome, a.detail FROM kairos_trial_attempts a " +
                      $"JOIN trials t ON t.trial_id = a.trial_id WHERE t.study_id = {studyId.ToString(CultureInfo.InvariantCulture)} " +
                      "ORDER BY t.number, a.attempt", r =>
            list.Add(new TrialAttempt(ToInt(r.GetValue(0)), ToInt(r.GetValue(1)), r.GetString(2), ParseIso(r.GetString(3)),
                r.IsDBNull(4) ? null : ParseIso(r.GetString(4)), r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6))));
        return list;
    });

    internal static string RungKey(int rung) => RungPrefix + rung.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Locks the study's <c>studies</c> row (as Optuna's <c>create_new_trial</c> does; on SQLite the write transaction
    /// already holds the database lock) and returns the Kairos budget.
    /// </summary>
    private int LockStudy(DbConnection c, DbTransaction tx, long studyId)
    {
        Scalar(c, tx, "SELECT study_id FROM studies WHERE study_id = @s" + ForUpdate, ("s", studyId));
        return ToInt(Scalar(c, tx, "SELECT target_trials FROM kairos_studies WHERE study_id = @s", ("s", studyId)) ?? 0);
    }

    /// <summary>
    /// Inserts a trial and numbers it exactly as Optuna does (<c>TrialModel.count_past_trials</c>: the study's trials
    /// with a smaller id), inside the caller's transaction that holds the study lock.
    /// </summary>
    private (long TrialId, int Number) InsertTrial(DbConnection c, DbTransaction tx, long studyId, TrialState state, DateTimeOffset? start)
    {
        var trialId = ToLong(Scalar(c, tx, $"INSERT INTO trials (number, study_id, state, datetime_start) VALUES (NULL, @s, {StateSql(state)}, @t) RETURNING trial_id",
            ("s", studyId), ("t", start is { } t ? OptunaTime(LocalTime(t)) : null)));
        var number = ToInt(Scalar(c, tx, "SELECT COUNT(*) FROM trials WHERE study_id = @s AND trial_id < @id", ("s", studyId), ("id", trialId)));
        Exec(c, tx, "UPDATE trials SET number = @n WHERE trial_id = @id", ("n", (long)number), ("id", trialId));
        return (trialId, number);
    }

    private void ReapStale(DbConnection c, DbTransaction tx, long studyId, double staleAfterSeconds, int maxRetries, DateTimeOffset now)
    {
        var stale = new List<object?[]>();
        using (var cmd = Cmd(c, tx, "SELECT t.trial_id, k.attempt, k.lost_attempts, k.worker_id FROM trials t JOIN kairos_trials k ON k.trial_id = t.trial_id " +
                                    $"WHERE t.study_id = @s AND t.state = 'RUNNING' AND k.heartbeat_at < {NowSql} - @stale" + SkipLocked,
                   ("s", studyId), ("stale", staleAfterSeconds)))
        using (var r = cmd.ExecuteReader())
            while (r.Read()) stale.Add([r.GetValue(0), r.GetValue(1), r.GetValue(2), r.GetValue(3)]);
        foreach (var row in stale)
        {
            var trialId = ToLong(row[0]);
            var attempt = ToInt(row[1]);
            var lost = ToInt(row[2]) + 1;
            var detail = string.Create(CultureInfo.InvariantCulture, $"no heartbeat from worker {row[3]} for more than {staleAfterSeconds} s");
            EndAttempt(c, tx, trialId, attempt, "lost", detail, now);
            if (lost <= maxRetries)
            {
                Requeue(c, tx, trialId);
                Exec(c, tx, "UPDATE kairos_trials SET lost_attempts = @l WHERE trial_id = @id", ("l", (long)lost), ("id", trialId));
            }
            else
            {
                Exec(c, tx, "UPDATE trials SET state = 'FAIL', datetime_complete = @t WHERE trial_id = @id", ("t", OptunaTime(LocalTime(now))), ("id", trialId));
                Exec(c, tx, "UPDATE kairos_trials SET lost_attempts = @l, heartbeat_at = NULL WHERE trial_id = @id", ("l", (long)lost), ("id", trialId));
                UpsertTrialAttribute(c, tx, "trial_system_attributes", trialId, FailReasonKey,
                    OptunaJson.String(detail + $"; {lost} attempt(s) lost, retries exhausted"));
            }
        }
    }

    private static void Requeue(DbConnection c, DbTransaction tx, long trialId)
    {
        Exec(c, tx, "UPDATE trials SET state = 'WAITING', datetime_start = NULL WHERE trial_id = @id", ("id", trialId));
        Exec(c, tx, "UPDATE kairos_trials SET worker_id = NULL, heartbeat_at = NULL WHERE trial_id = @id", ("id", trialId));
        foreach (var table in new[] { "trial_values", "trial_intermediate_values", "trial_user_attributes", "trial_system_attributes", "kairos_trial_blocks" })
            Exec(c, tx, $"DELETE FROM {table} WHERE trial_id = @id", ("id", trialId));
    }

    private static void StartAttempt(DbConnection c, DbTransaction tx, long trialId, int attempt, string workerId, DateTimeOffset now) =>
        Exec(c, tx, "INSERT INTO kairos_trial_attempts (trial_id, attempt, worker_id, started_at, outcome) VALUES (@id, @a, @w, @t, 'running')",
            ("id", trialId), ("a", (long)attempt), ("w", workerId), ("t", Iso(now)));

    private static void EndAttempt(DbConnection c, DbTransaction tx, long trialId, int attempt, string outcome, string? detail, DateTimeOffset now) =>
        Exec(c, tx, "UPDATE kairos_trial_attempts SET ended_at = @t, outcome = @o, detail = @d WHERE trial_id = @id AND attempt = @a",
            ("t", Iso(now)), ("o", outcome), ("d", detail), ("id", trialId), ("a", (long)attempt));

    private static int UpsertTrialAttribute(DbConnection c, DbTransaction tx, string table, long trialId, string key, string valueJson) =>
        Exec(c, tx, $"INSERT INTO {table} (trial_id, key, value_json) VALUES (@id, @k, @v) ON CONFLICT (trial_id, key) DO UPDATE SET value_json = excluded.value_json",
            ("id", trialId), ("k", key), ("v", valueJson));

    private static int InsertParam(DbConnection c, DbTransaction tx, long trialId, string name, ParamDistribution distribution, double value) =>
        Exec(c, tx, "INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES (@id, @n, @v, @d)",
            ("id", trialId), ("n", name), ("v", value), ("d", OptunaJson.Distribution(distribution)));

    /// <summary>Optuna's value and its type: a finite number, or NULL with INF_POS, INF_NEG (or NAN for intermediate values).</summary>
    private static (double? Value, string Type) ToOptuna(double value) =>
        double.IsNaN(value) ? (null, "NAN")
        : double.IsPositiveInfinity(value) ? (null, "INF_POS")
        : double.IsNegativeInfinity(value) ? (null, "INF_NEG")
        : (value, "FINITE");

    private static double FromOptuna(object? value, string type) => type switch
    {
        "INF_POS" => double.PositiveInfinity,
        "INF_NEG" => double.NegativeInfinity,
        "NAN" => double.NaN,
        _ => Convert.ToDouble(value, CultureInfo.InvariantCulture),
    };

    private static void InsertValue(DbConnection c, DbTransaction tx, long trialId, double value)
    {
        var (v, type) = ToOptuna(value);
        if (type == "NAN") return;
        Exec(c, tx, $"INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES (@id, 0, @v, '{type}')", ("id", trialId), ("v", v));
    }

    private static void InsertIntermediates(DbConnection c, DbTransaction tx, long trialId, IReadOnlyDictionary<long, double> values)
    {
        foreach (var chunk in values.OrderBy(kv => kv.Key).Chunk(300))
        {
            var sql = new StringBuilder("INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type) VALUES ");
            var ps = new List<(string, object?)> { ("id", trialId) };
            for (var i = 0; i < chunk.Length; i++)
            {
                var (v, type) = ToOptuna(chunk[i].Value);
                if (i > 0) sql.Append(", ");
                sql.Append(CultureInfo.InvariantCulture, $"(@id, @s{i}, @v{i}, '{type}')");
                ps.Add(($"s{i}", chunk[i].Key));
                ps.Add(($"v{i}", v));
            }
            Exec(c, tx, sql.ToString(), [.. ps]);
        }
    }

    private static void InsertBlocks(DbConnection c, DbTransaction tx, long trialId, IReadOnlyList<PerformanceBlock> blocks)
    {
        foreach (var chunk in blocks.Chunk(50))
        {
            var sql = new StringBuilder("INSERT INTO kairos_trial_blocks (trial_id, block, start_time, end_time, rows_n, log_likelihood, trades, " +
                                        "ret_sum, ret_sum2, ret_sum3, ret_sum4) VALUES ");
            var ps = new List<(string, object?)> { ("id", trialId) };
            for (var i = 0; i < chunk.Length; i++)
            {
                var b = chunk[i];
                if (i > 0) sql.Append(", ");
                sql.Append(CultureInfo.InvariantCulture, $"(@id, @b{i}, @s{i}, @e{i}, @n{i}, @l{i}, @t{i}, @r1_{i}, @r2_{i}, @r3_{i}, @r4_{i})");
                ps.AddRange([($"b{i}", (long)b.Index), ($"s{i}", b.StartTime), ($"e{i}", b.EndTime), ($"n{i}", (long)b.Rows), ($"l{i}", b.MeanLogLikelihood),
                    ($"t{i}", (long)b.Trades), ($"r1_{i}", b.ReturnSum), ($"r2_{i}", b.ReturnSum2), ($"r3_{i}", b.ReturnSum3), ($"r4_{i}", b.ReturnSum4)]);
            }
            Exec(c, tx, sql.ToString(), [.. ps]);
        }
    }

    private static Dictionary<string, (ParamDistribution, double)> ReadParams(DbConnection c, DbTransaction tx, long trialId)
    {
        var result = new Dictionary<string, (ParamDistribution, double)>(StringComparer.Ordinal);
        using var cmd = Cmd(c, tx, "SELECT param_name, distribution_json, param_value FROM trial_params WHERE trial_id = @id", ("id", trialId));
        using var r = cmd.ExecuteReader();
        while (r.Read())
            result[r.GetString(0)] = (OptunaJson.ParseDistribution(r.GetString(1)), Convert.ToDouble(r.GetValue(2), CultureInfo.InvariantCulture));
        return result;
    }

    private T Fenced<T>(TrialLease lease, Func<DbConnection, DbTransaction, T> body) => Write((c, tx) =>
    {
        if (Scalar(c, tx, $"SELECT t.trial_id FROM trials t JOIN kairos_trials k ON k.trial_id = t.trial_id WHERE {RunningOwned}" + ForUpdate, Fence(lease)) is null)
            throw new LeaseLostException(lease.Number, lease.Attempt, lease.WorkerId);
        return body(c, tx);
    });

    private static (string, object?)[] Fence(TrialLease lease) =>
        [("id", lease.TrialId), ("w", lease.WorkerId), ("a", (long)lease.Attempt)];

    private static object?[]? Row(DbConnection c, DbTransaction tx, string sql, params (string, object?)[] ps)
    {
        using var cmd = Cmd(c, tx, sql, ps);
        using var r = cmd.ExecuteReader();
        if (!r.Read()) return null;
        var row = new object?[r.FieldCount];
        for (var i = 0; i < row.Length; i++) row[i] = r.IsDBNull(i) ? null : r.GetValue(i);
        return row;
    }

    private static void ForEachRow(DbConnection c, string sql, Action<DbDataReader> onRow)
    {
        using var cmd = Cmd(c, null, sql);
        using var r = cmd.ExecuteReader();
        while (r.Read()) onRow(r);
    }
}
