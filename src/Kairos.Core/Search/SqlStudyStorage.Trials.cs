using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Kairos.Search;

public abstract partial class SqlStudyStorage
{
    private const string RunningOwned = "trial_id = @id AND state = 'running' AND worker_id = @w AND attempt = @a";

    public int Enqueue(long studyId, IReadOnlyDictionary<string, (ParamDistribution Distribution, double Value)> fixedParams) =>
        Write((c, tx) =>
        {
            LockStudy(c, tx, studyId);
            var number = NextNumber(c, tx, studyId);
            var trialId = ToLong(Scalar(c, tx,
                "INSERT INTO trials (study_id, number, state, attempt, lost_attempts) VALUES (@s, @n, 'waiting', 0, 0) RETURNING trial_id",
                ("s", studyId), ("n", (long)number)));
            foreach (var (name, (distribution, value)) in fixedParams)
                Exec(c, tx, "INSERT INTO trial_params (trial_id, name, distribution, value) VALUES (@id, @n, @d, @v)",
                    ("id", trialId), ("n", name), ("d", distribution.ToJson()), ("v", value));
            return number;
        });

    public TrialClaim Claim(long studyId, string workerId, double staleAfterSeconds, int maxRetries, DateTimeOffset now) =>
        Write((c, tx) =>
        {
            ReapStale(c, tx, studyId, staleAfterSeconds, maxRetries, now);

            var waiting = Row(c, tx, "SELECT trial_id, number, attempt, history FROM trials WHERE study_id = @s AND state = 'waiting' " +
                                     "ORDER BY number LIMIT 1" + SkipLocked, ("s", studyId));
            if (waiting is not null)
            {
                var trialId = ToLong(waiting[0]);
                var attempt = ToInt(waiting[2]) + 1;
                Exec(c, tx, $"UPDATE trials SET state = 'running', attempt = @a, worker_id = @w, heartbeat_at = {NowSql}, started_at = @t " +
                            "WHERE trial_id = @id", ("a", (long)attempt), ("w", workerId), ("t", Iso(now)), ("id", trialId));
                StartAttempt(c, tx, trialId, attempt, workerId, now);
                var lease = new TrialLease(studyId, trialId, ToInt(waiting[1]), attempt, workerId);
                var history = waiting[3] is string h ? JsonSerializer.Deserialize<int[]>(h) : null;
                return new TrialClaim(ClaimStatus.Claimed, lease, ReadParams(c, tx, trialId), history);
            }

            var target = LockStudy(c, tx, studyId);
            var number = NextNumber(c, tx, studyId);
            if (number < target)
            {
                var trialId = ToLong(Scalar(c, tx,
                    "INSERT INTO trials (study_id, number, state, attempt, lost_attempts, worker_id, heartbeat_at, started_at) " +
                    $"VALUES (@s, @n, 'running', 1, 0, @w, {NowSql}, @t) RETURNING trial_id",
                    ("s", studyId), ("n", (long)number), ("w", workerId), ("t", Iso(now))));
                StartAttempt(c, tx, trialId, 1, workerId, now);
                return new TrialClaim(ClaimStatus.Claimed, new TrialLease(studyId, trialId, number, 1, workerId),
                    new Dictionary<string, (ParamDistribution, double)>(), null);
            }

            var open = ToInt(Scalar(c, tx, "SELECT COUNT(*) FROM trials WHERE study_id = @s AND state IN ('waiting', 'running')", ("s", studyId)));
            return open > 0 ? TrialClaim.Wait : TrialClaim.Done;
        });

    public bool Heartbeat(TrialLease lease)
    {
        EnsureSchema();
        using var c = OpenConnection();
        return Exec(c, null, $"UPDATE trials SET heartbeat_at = {NowSql} WHERE {RunningOwned}", Fence(lease)) == 1;
    }

    public void SetParam(TrialLease lease, string name, ParamDistribution distribution, double value) =>
        Fenced(lease, (c, tx) => Exec(c, tx,
            "INSERT INTO trial_params (trial_id, name, distribution, value) VALUES (@id, @n, @d, @v)",
            ("id", lease.TrialId), ("n", name), ("d", distribution.ToJson()), ("v", value)));

    public void SetHistory(TrialLease lease, IReadOnlyList<int> history) =>
        Fenced(lease, (c, tx) => Exec(c, tx, "UPDATE trials SET history = @h WHERE trial_id = @id",
            ("h", JsonSerializer.Serialize(history)), ("id", lease.TrialId)));

    public void SetAttribute(TrialLease lease, string key, string value) =>
        Fenced(lease, (c, tx) => UpsertAttribute(c, tx, lease.TrialId, key, value));

    public IReadOnlyList<double> RecordRung(TrialLease lease, int rung, double value) =>
        Fenced(lease, (c, tx) =>
        {
            var key = RungKey(rung);
            UpsertAttribute(c, tx, lease.TrialId, key, value.ToString("R", CultureInfo.InvariantCulture));
            var values = new List<double>();
            using var cmd = Cmd(c, tx, "SELECT a.value FROM trial_attrs a JOIN trials t ON t.trial_id = a.trial_id " +
                                       "WHERE t.study_id = @s AND a.key = @k", ("s", lease.StudyId), ("k", key));
            using var r = cmd.ExecuteReader();
            while (r.Read()) values.Add(double.Parse(r.GetString(0), CultureInfo.InvariantCulture));
            return values;
        });

    public void Finish(TrialLease lease, TrialState state, double? value, IReadOnlyDictionary<long, double> intermediateValues,
        string? failReason, DateTimeOffset now, IReadOnlyList<PerformanceBlock>? blocks = null) =>
        Fenced(lease, (c, tx) =>
        {
            var started = Scalar(c, tx, "SELECT started_at FROM trials WHERE trial_id = @id", ("id", lease.TrialId)) as string;
            double? duration = started is null ? null : (now - ParseIso(started)).TotalSeconds;
            Exec(c, tx, "UPDATE trials SET state = @st, value = @v, completed_at = @t, duration_s = @d, fail_reason = @f, heartbeat_at = NULL " +
                        "WHERE trial_id = @id",
                ("st", Name(state)), ("v", value), ("t", Iso(now)), ("d", duration), ("f", failReason), ("id", lease.TrialId));
            InsertIntermediates(c, tx, lease.TrialId, intermediateValues);
            if (blocks is not null) InsertBlocks(c, tx, lease.TrialId, blocks);
            EndAttempt(c, tx, lease.TrialId, lease.Attempt, Name(state), failReason, now);
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
            var sql = "SELECT trial_id, number, state, value, attempt, lost_attempts, worker_id, history, started_at, completed_at, " +
                      "duration_s, fail_reason FROM trials WHERE study_id = @s";
            if (states is { Count: > 0 }) sql += " AND state IN (" + string.Join(", ", states.Select(s => "'" + Name(s) + "'")) + ")";
            sql += " ORDER BY number";
            var rows = new List<object?[]>();
            using (var cmd = Cmd(c, null, sql, ("s", studyId)))
            using (var r = cmd.ExecuteReader())
                while (r.Read())
                {
                    var row = new object?[r.FieldCount];
                    for (var i = 0; i < row.Length; i++) row[i] = r.IsDBNull(i) ? null : r.GetValue(i);
                    if (excludeNumbers is null || !excludeNumbers.Contains(ToInt(row[1]))) rows.Add(row);
                }
            var ids = rows.Select(row => ToLong(row[0])).ToList();
            var parms = new Dictionary<long, (Dictionary<string, double> Values, Dictionary<string, ParamDistribution> Dists)>();
            var inter = new Dictionary<long, Dictionary<long, double>>();
            var attrs = new Dictionary<long, Dictionary<string, string>>();
            var blocks = new Dictionary<long, List<PerformanceBlock>>();
            var distCache = new Dictionary<string, ParamDistribution>(StringComparer.Ordinal);
            foreach (var chunk in ids.Chunk(500))
            {
                var inList = string.Join(", ", chunk);
                ForEachRow(c, $"SELECT trial_id, name, distribution, value FROM trial_params WHERE trial_id IN ({inList})", r =>
                {
                    var id = ToLong(r.GetValue(0));
                    if (!parms.TryGetValue(id, out var p)) parms[id] = p = ([], []);
                    var json = r.GetString(2);
                    if (!distCache.TryGetValue(json, out var d)) distCache[json] = d = ParamDistribution.FromJson(json);
                    p.Values[r.GetString(1)] = Convert.ToDouble(r.GetValue(3), CultureInfo.InvariantCulture);
                    p.Dists[r.GetString(1)] = d;
                });
                ForEachRow(c, $"SELECT trial_id, step, value FROM trial_intermediate_values WHERE trial_id IN ({inList})", r =>
                {
                    var id = ToLong(r.GetValue(0));
                    if (!inter.TryGetValue(id, out var m)) inter[id] = m = [];
                    m[ToLong(r.GetValue(1))] = r.IsDBNull(2) ? double.NaN : Convert.ToDouble(r.GetValue(2), CultureInfo.InvariantCulture);
                });
                ForEachRow(c, $"SELECT trial_id, key, value FROM trial_attrs WHERE trial_id IN ({inList})", r =>
                {
                    var id = ToLong(r.GetValue(0));
                    if (!attrs.TryGetValue(id, out var m)) attrs[id] = m = new Dictionary<string, string>(StringComparer.Ordinal);
                    m[r.GetString(1)] = r.GetString(2);
                });
                ForEachRow(c, "SELECT trial_id, block, start_time, end_time, rows_n, log_likelihood, trades, ret_sum, ret_sum2, ret_sum3, ret_sum4 " +
                              $"FROM trial_blocks WHERE trial_id IN ({inList}) ORDER BY trial_id, block", r =>
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
                return new FrozenTrial
                {
                    TrialId = id,
                    Number = ToInt(row[1]),
                    State = ParseState((string)row[2]!),
                    Value = row[3] is null ? null : Convert.ToDouble(row[3], CultureInfo.InvariantCulture),
                    Attempt = ToInt(row[4]),
                    LostAttempts = ToInt(row[5]),
                    WorkerId = row[6] as string,
                    History = row[7] is string h ? JsonSerializer.Deserialize<int[]>(h) : null,
                    StartedAt = row[8] is string s ? ParseIso(s) : null,
                    CompletedAt = row[9] is string e ? ParseIso(e) : null,
                    DurationSeconds = row[10] is null ? null : Convert.ToDouble(row[10], CultureInfo.InvariantCulture),
                    FailReason = row[11] as string,
                    Params = p.Values,
                    Distributions = p.Dists,
                    IntermediateValues = inter.GetValueOrDefault(id) ?? [],
                    Attributes = attrs.GetValueOrDefault(id) ?? new Dictionary<string, string>(),
                    Blocks = blocks.GetValueOrDefault(id),
                };
            }).ToList();
        });

    public IReadOnlyList<TrialAttempt> GetAttempts(long studyId) => Read(c =>
    {
        var list = new List<TrialAttempt>();
        ForEachRow(c, "SELECT t.number, a.attempt, a.worker_id, a.started_at, a.ended_at, a.outcome, a.detail FROM trial_attempts a " +
                      $"JOIN trials t ON t.trial_id = a.trial_id WHERE t.study_id = {studyId.ToString(CultureInfo.InvariantCulture)} " +
                      "ORDER BY t.number, a.attempt", r =>
            list.Add(new TrialAttempt(ToInt(r.GetValue(0)), ToInt(r.GetValue(1)), r.GetString(2), ParseIso(r.GetString(3)),
                r.IsDBNull(4) ? null : ParseIso(r.GetString(4)), r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6))));
        return list;
    });

    internal static string RungKey(int rung) => "sh_rung_" + rung.ToString(CultureInfo.InvariantCulture);

    private void ReapStale(DbConnection c, DbTransaction tx, long studyId, double staleAfterSeconds, int maxRetries, DateTimeOffset now)
    {
        var stale = new List<object?[]>();
        using (var cmd = Cmd(c, tx, "SELECT trial_id, attempt, lost_attempts, worker_id FROM trials WHERE study_id = @s AND state = 'running' " +
                                    $"AND heartbeat_at < {NowSql} - @stale" + SkipLocked, ("s", studyId), ("stale", staleAfterSeconds)))
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
                Exec(c, tx, "UPDATE trials SET lost_attempts = @l WHERE trial_id = @id", ("l", (long)lost), ("id", trialId));
            }
            else
            {
                Exec(c, tx, "UPDATE trials SET state = 'failed', lost_attempts = @l, completed_at = @t, heartbeat_at = NULL, fail_reason = @f " +
                            "WHERE trial_id = @id",
                    ("l", (long)lost), ("t", Iso(now)), ("f", detail + $"; {lost} attempt(s) lost, retries exhausted"), ("id", trialId));
            }
        }
    }

    private static void Requeue(DbConnection c, DbTransaction tx, long trialId)
    {
        Exec(c, tx, "UPDATE trials SET state = 'waiting', worker_id = NULL, heartbeat_at = NULL WHERE trial_id = @id", ("id", trialId));
        Exec(c, tx, "DELETE FROM trial_intermediate_values WHERE trial_id = @id", ("id", trialId));
        Exec(c, tx, "DELETE FROM trial_attrs WHERE trial_id = @id", ("id", trialId));
        Exec(c, tx, "DELETE FROM trial_blocks WHERE trial_id = @id", ("id", trialId));
    }

    private int LockStudy(DbConnection c, DbTransaction tx, long studyId) =>
        ToInt(Scalar(c, tx, "SELECT target_trials FROM studies WHERE study_id = @s" + ForUpdate, ("s", studyId)));

    private static int NextNumber(DbConnection c, DbTransaction tx, long studyId) =>
        ToInt(Scalar(c, tx, "SELECT COALESCE(MAX(number) + 1, 0) FROM trials WHERE study_id = @s", ("s", studyId)));

    private static void StartAttempt(DbConnection c, DbTransaction tx, long trialId, int attempt, string workerId, DateTimeOffset now) =>
        Exec(c, tx, "INSERT INTO trial_attempts (trial_id, attempt, worker_id, started_at, outcome) VALUES (@id, @a, @w, @t, 'running')",
            ("id", trialId), ("a", (long)attempt), ("w", workerId), ("t", Iso(now)));

    private static void EndAttempt(DbConnection c, DbTransaction tx, long trialId, int attempt, string outcome, string? detail, DateTimeOffset now) =>
        Exec(c, tx, "UPDATE trial_attempts SET ended_at = @t, outcome = @o, detail = @d WHERE trial_id = @id AND attempt = @a",
            ("t", Iso(now)), ("o", outcome), ("d", detail), ("id", trialId), ("a", (long)attempt));

    private static int UpsertAttribute(DbConnection c, DbTransaction tx, long trialId, string key, string value) =>
        Exec(c, tx, "INSERT INTO trial_attrs (trial_id, key, value) VALUES (@id, @k, @v) ON CONFLICT (trial_id, key) DO UPDATE SET value = excluded.value",
            ("id", trialId), ("k", key), ("v", value));

    private static void InsertIntermediates(DbConnection c, DbTransaction tx, long trialId, IReadOnlyDictionary<long, double> values)
    {
        foreach (var chunk in values.OrderBy(kv => kv.Key).Chunk(300))
        {
            var sql = new StringBuilder("INSERT INTO trial_intermediate_values (trial_id, step, value) VALUES ");
            var ps = new List<(string, object?)> { ("id", trialId) };
            for (var i = 0; i < chunk.Length; i++)
            {
                if (i > 0) sql.Append(", ");
                sql.Append(CultureInfo.InvariantCulture, $"(@id, @s{i}, @v{i})");
                ps.Add(($"s{i}", chunk[i].Key));
                ps.Add(($"v{i}", double.IsNaN(chunk[i].Value) ? null : chunk[i].Value));
            }
            Exec(c, tx, sql.ToString(), [.. ps]);
        }
    }

    private static void InsertBlocks(DbConnection c, DbTransaction tx, long trialId, IReadOnlyList<PerformanceBlock> blocks)
    {
        foreach (var chunk in blocks.Chunk(50))
        {
            var sql = new StringBuilder("INSERT INTO trial_blocks (trial_id, block, start_time, end_time, rows_n, log_likelihood, trades, " +
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

    private Dictionary<string, (ParamDistribution, double)> ReadParams(DbConnection c, DbTransaction tx, long trialId)
    {
        var result = new Dictionary<string, (ParamDistribution, double)>(StringComparer.Ordinal);
        using var cmd = Cmd(c, tx, "SELECT name, distribution, value FROM trial_params WHERE trial_id = @id", ("id", trialId));
        using var r = cmd.ExecuteReader();
        while (r.Read())
            result[r.GetString(0)] = (ParamDistribution.FromJson(r.GetString(1)), Convert.ToDouble(r.GetValue(2), CultureInfo.InvariantCulture));
        return result;
    }

    private T Fenced<T>(TrialLease lease, Func<DbConnection, DbTransaction, T> body) => Write((c, tx) =>
    {
        if (Scalar(c, tx, $"SELECT trial_id FROM trials WHERE {RunningOwned}" + ForUpdate, Fence(lease)) is null)
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
