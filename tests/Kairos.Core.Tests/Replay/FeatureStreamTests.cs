using Kairos.Datasets;
using Kairos.Replay;
using Kairos.Snapshots;

namespace Kairos.Tests.Replay;

/// <summary>Parity: bar-by-bar features, context, eligibility and scaled model inputs equal the offline dataset's on real EURUSD bars.</summary>
public class FeatureStreamTests
{
    private static BarSeries FirstBars(BarSeries s, int n) => new(s.Symbol, s.BarSize, s.Time[..n], s.Open[..n], s.High[..n], s.Low[..n], s.Close[..n], s.Volume[..n], s.Spread?[..n]);

    [Fact]
    public void Update_RealEurusd_EqualsTheDatasetAtEverySampleAndCountsTheSameEligibility()
    {
        var bars = FirstBars(BarCsvReader.Read(TestData.File("EURUSD_M5_2025_mt5.csv"), "EURUSD"), 16000);
        var config = new DatasetConfig { VolWindow = 1440 };
        var built = DatasetBuilder.Build(new DatasetSource([bars], new Dictionary<string, string>()), config, TestData.TempDirectory());
        var reader = DatasetReader.Open(built.Directory);
        var meta = reader.Metadata;
        var stream = FeatureStream.FromDataset(meta, built.Directory);
        var (L, S, F) = (stream.SeqLen, stream.SequenceFeatureCount, stream.SnapshotFeatureCount);
        Assert.Equal(meta.SequenceFeatures.Count, S);
        Assert.Equal(meta.SnapshotFeatures.Count, F);

        // Stream every bar once, keeping what each bar produced.
        var reasons = new EligibilityReason[bars.Count];
        var snapshot = new double[bars.Count][];
        var window = new float[bars.Count][];
        var scaledSnapshot = new float[bars.Count][];
        var categorical = new int[bars.Count][];
        var continuous = new double[bars.Count][];
        var scaledContinuous = new float[bars.Count][];
        for (var r = 0; r < bars.Count; r++)
        {
            stream.Update(Bar.At(bars, r));
            reasons[r] = stream.Reason;
            if (stream.Reason != EligibilityReason.Eligible) continue;
            stream.CopySnapshot(snapshot[r] = new double[F]);
            stream.CopyScaledWindow(window[r] = new float[L * S]);
            stream.CopyScaledSnapshot(scaledSnapshot[r] = new float[F]);
            stream.CopyContextCategorical(categorical[r] = new int[stream.CategoricalNames.Count]);
            stream.CopyContextContinuous(continuous[r] = new double[stream.ContinuousNames.Count]);
            stream.CopyScaledContextContinuous(scaledContinuous[r] = new float[stream.ContinuousNames.Count]);
        }

        // Eligibility: the same count per reason; label reasons are eligible live (labels need the future).
        var byReason = meta.Eligibility.ByReason;
        foreach (var reason in new[] { EligibilityReason.Warmup, EligibilityReason.NonFinite, EligibilityReason.DataGap, EligibilityReason.BlockedSession, EligibilityReason.SpreadCap, EligibilityReason.ExtremeVol })
            Assert.Equal(byReason[Snake(reason)], reasons.LongCount(x => x == reason));
        Assert.Equal(meta.Eligibility.Eligible + byReason["label_unavailable"] + byReason["label_gap"], reasons.LongCount(x => x == EligibilityReason.Eligible));
        Assert.True(byReason["blocked_session"] > 1000 && byReason["warmup"] >= 300);

        var compared = 0;
        foreach (var split in new[] { "train", "val", "test" })
        {
            var data = reader.ReadSplit(split);
            var windows = reader.BuildWindows(data);
            var snap = reader.BuildSnapshotMatrix(data);
            var cat = reader.BuildContextCategorical(data);
            var cont = reader.BuildContextContinuous(data);
            Assert.Same(meta.Scalers["train"], reader.ScalersFor(split));
            for (var i = 0; i < data.Rows; i++)
            {
                var r = (int)data.SeqRow[i];
                Assert.Equal(bars.Time[r], data.Timestamp[i]);
                Assert.Equal(EligibilityReason.Eligible, reasons[r]);
                for (var c = 0; c < F; c++)
                    Assert.Equal(data.Double(meta.SnapshotFeatures[c])[i], snapshot[r][c], 1e-9);
                Assert.Equal(snap.Data.AsSpan(i * F, F).ToArray(), scaledSnapshot[r]);
                Assert.Equal(windows.Data.AsSpan(i * L * S, L * S).ToArray(), window[r]);
                Assert.Equal(cat.AsSpan(i * categorical[r].Length, categorical[r].Length).ToArray(), categorical[r]);
                Assert.Equal(data.Double("atr_bps")[i], continuous[r][0], 1e-9);
                Assert.Equal(data.Double("spread_bps")[i], continuous[r][1], 1e-9);
                Assert.Equal(cont.Data.AsSpan(i * 2, 2).ToArray(), scaledContinuous[r]);
                compared++;
            }
        }
        Assert.True(compared > 5000, $"{compared} samples compared");
    }

    private static string Snake(EligibilityReason r) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(r.ToString());
}
