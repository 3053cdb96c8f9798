using System.Data.Common;
using System.Globalization;

namespace Kairos.Search.Storage;

/// <summary>
/// The contents of a Kairos schema 1 or 2 database (Kairos's own tables, before it spoke Optuna's schema), read
/// whole inside the migration transaction so the old tables can be dropped and their names reused by Optuna's.
/// </summary>
internal sealed class LegacyStudies
{
    public List<object?[]> Studies { get; } = [];
    public List<object?[]> Trials { get; } = [];
    public List<object?[]> Params { get; } = [];
    public List<object?[]> Intermediates { get; } = [];
    public List<object?[]> Attributes { get; } = [];
    public List<object?[]> Attempts { get; } = [];
    public List<object?[]> Blocks { get; } = [];

    private static readonly string[] Tables =
        ["trial_blocks", "trial_attempts", "trial_attrs", "trial_intermediate_values", "trial_params", "trials", "studies"];

    public static LegacyStudies Read(DbConnection c, DbTransaction tx, int version)
    {
        var data = new LegacyStudies();
        Load(c, tx, "SELECT study_id, name, direction, settings, objective_kind, target_trials, created_at FROM studies ORDER BY study_id", data.Studies);
        Load(c, tx, "SELECT trial_id, study_id, number, state, value, attempt, lost_attempts, worker_id, heartbeat_at, history, started_at, " +
                    "completed_at, fail_reason FROM trials ORDER BY trial_id", data.Trials);
        Load(c, tx, "SELECT trial_id, name, distribution, value FROM trial_params ORDER BY trial_id, name", data.Params);
        Load(c, tx, "SELECT trial_id, step, value FROM trial_intermediate_values ORDER BY trial_id, step", data.Intermediates);
        Load(c, tx, "SELECT trial_id, key, value FROM trial_attrs ORDER BY trial_id, key", data.Attributes);
        Load(c, tx, "SELECT trial_id, attempt, worker_id, started_at, ended_at, outcome, detail FROM trial_attempts ORDER BY trial_id, attempt", data.Attempts);
        if (version >= 2)
            Load(c, tx, "SELECT trial_id, block, start_time, end_time, rows_n, log_likelihood, trades, ret_sum, ret_sum2, ret_sum3, ret_sum4 " +
                        "FROM trial_blocks ORDER BY trial_id, block", data.Blocks);
        return data;
    }

    /// <summary>Drops the old tables (children first), freeing their names and, on PostgreSQL, their constraint names.</summary>
    public static void Drop(DbConnection c, DbTransaction tx)
    {
        foreach (var table in Tables)
        {
            using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = $"DROP TABLE IF EXISTS {table}";
            cmd.ExecuteNonQuery();
        }
    }

    /// <summary>Kairos 1-2 state names to Optuna's.</summary>
    public static string State(string legacy) => legacy switch
    {
        "waiting" => "WAITING",
        "running" => "RUNNING",
        "complete" => "COMPLETE",
        "pruned" => "PRUNED",
        "failed" => "FAIL",
        _ => throw new FormatException($"unknown trial state '{legacy}' in a Kairos schema 1-2 database"),
    };

    public static double Double(object? v) => Convert.ToDouble(v, CultureInfo.InvariantCulture);

    private static void Load(DbConnection c, DbTransaction tx, string sql, List<object?[]> into)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var row = new object?[r.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = r.IsDBNull(i) ? null : r.GetValue(i);
            into.Add(row);
        }
    }
}
