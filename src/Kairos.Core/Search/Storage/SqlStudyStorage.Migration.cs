using System.Data.Common;
using System.Globalization;

namespace Kairos.Search.Storage;

public abstract partial class SqlStudyStorage
{
    /// <summary>
    /// Writes a schema 1-2 database's studies into Optuna's tables and the side tables, keeping study and trial ids and
    /// numbers (Kairos numbered trials in id order, as Optuna does): direction to <c>study_directions</c>; settings,
    /// budget and creation time to <c>kairos_studies</c> (and shown as study user attributes); state, times and value
    /// to <c>trials</c> and <c>trial_values</c>; distributions rewritten in Optuna's JSON; NULL intermediate values as
    /// <c>NAN</c>; attributes as user attributes, successive-halving rungs as Optuna's <c>completed_rung_N</c> and the
    /// failure reason as <c>fail_reason</c> system attributes; leases, attempts and blocks to the side tables.
    /// </summary>
    private void WriteLegacy(DbConnection c, DbTransaction tx, LegacyStudies legacy)
    {
        foreach (var s in legacy.Studies)
        {
            var studyId = ToLong(s[0]);
            var options = StudyOptions.FromJson((string)s[3]!);
            Exec(c, tx, "INSERT INTO studies (study_id, study_name) VALUES (@s, @n)", ("s", studyId), ("n", (string)s[1]!));
            Exec(c, tx, $"INSERT INTO study_directions (direction, study_id, objective) VALUES ({((string)s[2]! == "maximize" ? "'MAXIMIZE'" : "'MINIMIZE'")}, @s, 0)",
                ("s", studyId));
            Exec(c, tx, "INSERT INTO kairos_studies (study_id, settings, objective_kind, target_trials, created_at) VALUES (@s, @o, @k, @n, @t)",
                ("s", studyId), ("o", (string)s[3]!), ("k", (string)s[4]!), ("n", ToLong(s[5])), ("t", (string)s[6]!));
            UpsertStudyAttribute(c, tx, studyId, ObjectiveKindAttribute, OptunaJson.String((string)s[4]!));
            UpsertStudyAttribute(c, tx, studyId, ObjectiveSpecAttribute, options.ObjectiveSpec);
            UpsertStudyAttribute(c, tx, studyId, SettingsAttribute, (string)s[3]!);
            UpsertStudyAttribute(c, tx, studyId, TargetTrialsAttribute, ToLong(s[5]).ToString(CultureInfo.InvariantCulture));
        }
        foreach (var t in legacy.Trials)
        {
            var trialId = ToLong(t[0]);
            Exec(c, tx, $"INSERT INTO trials (trial_id, number, study_id, state, datetime_start, datetime_complete) VALUES (@id, @n, @s, '{LegacyStudies.State((string)t[3]!)}', @b, @e)",
                ("id", trialId), ("n", ToLong(t[2])), ("s", ToLong(t[1])),
                ("b", t[10] is string b ? OptunaTime(LocalTime(ParseIso(b))) : null), ("e", t[11] is string e ? OptunaTime(LocalTime(ParseIso(e))) : null));
            if (t[4] is not null) InsertValue(c, tx, trialId, LegacyStudies.Double(t[4]));
            Exec(c, tx, "INSERT INTO kairos_trials (trial_id, attempt, lost_attempts, worker_id, heartbeat_at, history) VALUES (@id, @a, @l, @w, @h, @y)",
                ("id", trialId), ("a", ToLong(t[5])), ("l", ToLong(t[6])), ("w", t[7]), ("h", t[8] is null ? null : LegacyStudies.Double(t[8])), ("y", t[9]));
            if (t[12] is string reason) UpsertTrialAttribute(c, tx, "trial_system_attributes", trialId, FailReasonKey, OptunaJson.String(reason));
        }
        foreach (var p in legacy.Params)
            InsertParam(c, tx, ToLong(p[0]), (string)p[1]!, ParamDistribution.FromJson((string)p[2]!), LegacyStudies.Double(p[3]));
        foreach (var group in legacy.Intermediates.GroupBy(i => ToLong(i[0])))
            InsertIntermediates(c, tx, group.Key, group.ToDictionary(i => ToLong(i[1]), i => i[2] is null ? double.NaN : LegacyStudies.Double(i[2])));
        foreach (var a in legacy.Attributes)
        {
            var key = (string)a[1]!;
            var value = (string)a[2]!;
            if (key.StartsWith("sh_rung_", StringComparison.Ordinal))
                UpsertTrialAttribute(c, tx, "trial_system_attributes", ToLong(a[0]), RungPrefix + key["sh_rung_".Length..],
                    OptunaJson.Number(double.Parse(value, CultureInfo.InvariantCulture)));
            else
                UpsertTrialAttribute(c, tx, "trial_user_attributes", ToLong(a[0]), key, OptunaJson.String(value));
        }
        foreach (var a in legacy.Attempts)
            Exec(c, tx, "INSERT INTO kairos_trial_attempts (trial_id, attempt, worker_id, started_at, ended_at, outcome, detail) VALUES (@id, @a, @w, @s, @e, @o, @d)",
                ("id", ToLong(a[0])), ("a", ToLong(a[1])), ("w", a[2]), ("s", a[3]), ("e", a[4]), ("o", a[5]), ("d", a[6]));
        foreach (var group in legacy.Blocks.GroupBy(b => ToLong(b[0])))
            InsertBlocks(c, tx, group.Key, group.Select(b => new PerformanceBlock
            {
                Index = ToInt(b[1]), StartTime = ToLong(b[2]), EndTime = ToLong(b[3]), Rows = ToInt(b[4]), MeanLogLikelihood = ToDouble(b[5]),
                Trades = ToInt(b[6]), ReturnSum = ToDouble(b[7]), ReturnSum2 = ToDouble(b[8]), ReturnSum3 = ToDouble(b[9]), ReturnSum4 = ToDouble(b[10]),
            }).ToList());
        AdvanceKey(c, tx, "studies", "study_id");
        AdvanceKey(c, tx, "trials", "trial_id");
    }
}
