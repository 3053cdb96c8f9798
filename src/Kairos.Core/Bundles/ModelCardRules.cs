namespace Kairos.Bundles;

/// <summary>
/// What a JSON Schema cannot say about a Model Card: agreement with the bundle metadata, class balance
/// adding up to the rows, ordered percentiles, the eligibility rate matching its counts, and a calibrator
/// in the bundle for every session when calibration is required.
/// </summary>
internal static class ModelCardRules
{
    public static IEnumerable<string> Check(ModelCard card, BundleMetadata? metadata, IReadOnlySet<string> bundleFiles)
    {
        if (metadata is not null)
        {
            if (card.BundleId != metadata.BundleId) yield return $"bundle_id is {card.BundleId}, bundle_metadata.json says {metadata.BundleId}";
            if (card.ModelVariant != metadata.ModelVariant) yield return $"model_variant is {card.ModelVariant}, bundle_metadata.json says {metadata.ModelVariant}";
            if (card.FeatureContractHash != metadata.FeatureContractHash) yield return $"feature_contract_hash is {card.FeatureContractHash}, bundle_metadata.json says {metadata.FeatureContractHash}";
            if (metadata.Lineage is not null && BundleJson.Serialize(card.Lineage) != BundleJson.Serialize(metadata.Lineage))
                yield return "lineage differs from bundle_metadata.json";
            if (card.Calibration.Required != metadata.CalibrationRequired) yield return $"calibration.required is {card.Calibration.Required}, bundle_metadata.json says {metadata.CalibrationRequired}";
            if (card.Calibration.Method != metadata.CalibrationMethod) yield return $"calibration.method is {card.Calibration.Method}, bundle_metadata.json says {metadata.CalibrationMethod}";
            if (metadata.CalibrationRequired)
            {
                var calibrated = card.Calibration.PerSession.Select(s => s.Session).ToHashSet(StringComparer.Ordinal);
                foreach (var session in metadata.Sessions ?? [])
                    if (!calibrated.Contains(session))
                        yield return $"calibration is required but session {session} has no calibrator (calibration.per_session)";
            }
        }
        foreach (var session in card.Calibration.PerSession)
            if (!bundleFiles.Contains(session.Path))
                yield return $"calibration.per_session[{session.Session}].path '{session.Path}' is not a file of the bundle";
        if (card.Calibration.PerSession.Select(s => s.Session).Distinct(StringComparer.Ordinal).Count() != card.Calibration.PerSession.Count)
            yield return "calibration.per_session lists a session twice";

        var train = card.Train;
        if (train.ClassBalance.Pos + train.ClassBalance.Neg != train.Rows)
            yield return $"train.class_balance pos {train.ClassBalance.Pos} + neg {train.ClassBalance.Neg} != train.rows {train.Rows}";
        if (train.Range.Start > train.Range.End) yield return $"train.range.start {train.Range.Start:O} is after train.range.end {train.Range.End:O}";

        if (card.LatencyMs is { } latency && !(latency.P50 <= latency.P95 && latency.P95 <= latency.P99))
            yield return $"latency_ms percentiles are not ordered: p50 {latency.P50}, p95 {latency.P95}, p99 {latency.P99}";
        foreach (var stage in card.LatencyDetail?.Stages ?? [])
            if (!(stage.P50Us <= stage.P95Us && stage.P95Us <= stage.P99Us && stage.P99Us <= stage.MaxUs))
                yield return $"latency_detail stage {stage.Name}: percentiles are not ordered (p50 {stage.P50Us}, p95 {stage.P95Us}, p99 {stage.P99Us}, max {stage.MaxUs})";

        var e = card.Eligibility;
        if (e.EligibleBars > e.TotalBars) yield return $"eligibility.eligible_bars {e.EligibleBars} exceeds total_bars {e.TotalBars}";
        else if (Math.Abs(e.Rate - (double)e.EligibleBars / e.TotalBars) > 1e-6)
            yield return $"eligibility.rate {e.Rate} is not eligible_bars / total_bars = {(double)e.EligibleBars / e.TotalBars:R}";

        if (card.Gate.File is { } gateFile && !bundleFiles.Contains(gateFile))
            yield return $"gate.file '{gateFile}' is not a file of the bundle";
        if (card.Gate.Verdict != "absent" && card.Gate.File is null)
            yield return $"gate.verdict is {card.Gate.Verdict} but gate.file does not name the verdict file";
    }
}
