using System.Globalization;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using Kairos.Datasets;
using Kairos.Tests.Bundles;
using Kairos.Tests.Deep;
using Xunit.Abstractions;

namespace Kairos.Tests.Interop;

/// <summary>
/// Issue 21, interop table: DuckDB (DuckDB.NET, the engine's own native library) queries Kairos's Parquet with SQL: a real
/// dataset's split files and a <c>kairos predict</c> Parquet file give, through <c>read_parquet</c>, the row counts, column
/// names, column types and every value Kairos's own reader (<see cref="ParquetColumns"/>) gives, and a GROUP BY agrees
/// with the same count done in C#.
/// </summary>
[Collection(HybridBundleCollection.Name)]
public class DuckDbInteropTests(HybridBundlePipeline pipeline, ITestOutputHelper output)
{
    [Fact]
    public void DatasetSplits_QueriedWithDuckDbSql_SameRowsColumnsTypesAndValuesAsKairosReader()
    {
        var reader = DatasetReader.Open(pipeline.Dataset);
        using var duck = Open();
        foreach (var split in reader.Metadata.Splits)
        {
            var file = Path.Combine(pipeline.Dataset, split.File);
            var rows = SameAsKairos(duck, file);
            Assert.Equal(reader.ReadSplit(split.Name).Rows, rows);
            // SQL over the file: rows per session, against the same count from Kairos's reader.
            var sessions = reader.ReadSplit(split.Name, ["session_id"]).Int("session_id");
            var bySql = Query(duck, $"SELECT session_id, count(*) FROM read_parquet({Literal(file)}) GROUP BY session_id ORDER BY session_id")
                .ToDictionary(r => Convert.ToInt32(r[0], CultureInfo.InvariantCulture), r => Convert.ToInt64(r[1], CultureInfo.InvariantCulture));
            Assert.Equal(sessions.GroupBy(s => s).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => (long)g.Count()), bySql);
            output.WriteLine($"{split.Name}: {rows} rows, sessions {string.Join(", ", bySql.Select(p => $"{p.Key}={p.Value}"))}");
        }
    }

    [Fact]
    public void PredictParquet_QueriedWithDuckDbSql_SameRowsColumnsTypesAndValuesAsKairosReader()
    {
        var test = DatasetReader.Open(pipeline.Dataset).Metadata.Split("test");
        var file = Path.Combine(TestData.TempDirectory("kairos-duckdb"), "predict.parquet");
        var r = KairosCli.Run("predict", "--bundle", pipeline.Bundle, "--snapshot", pipeline.Snapshot,
            "--from", Iso(test.StartTime!.Value), "--to", Iso(test.EndTime!.Value + 1), "--out", file, "--json");
        Assert.True(r.ExitCode == 0, r.StandardError);
        using var duck = Open();

        var rows = SameAsKairos(duck, file);

        Assert.Equal((long)JsonNode.Parse(r.StandardOutput)!["rows"]!, rows);
        var (_, columns) = ParquetColumns.Read(file, ["reason", "p_long"]);
        var reasons = (string[])columns[0].Value;
        var pLong = (double[])columns[1].Value;
        var bySql = Query(duck, $"SELECT reason, count(*), count(p_long) FILTER (WHERE NOT isnan(p_long)) FROM read_parquet({Literal(file)}) GROUP BY reason ORDER BY reason");
        var byKairos = reasons.Select((reason, i) => (reason, i)).GroupBy(p => p.reason, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new object[] { g.Key, (long)g.Count(), (long)g.Count(p => !double.IsNaN(pLong[p.i])) }).ToList();
        Assert.Equal(byKairos.Count, bySql.Count);
        for (var i = 0; i < bySql.Count; i++)
            Assert.Equal(byKairos[i].Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)), bySql[i].Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)));
        output.WriteLine($"predict: {rows} rows; " + string.Join("; ", bySql.Select(row => string.Join(" ", row))));
    }

    /// <summary>Compares DuckDB's view of a Parquet file with <see cref="ParquetColumns.Read"/>; returns the row count.</summary>
    private static long SameAsKairos(DuckDBConnection duck, string file)
    {
        var (rows, columns) = ParquetColumns.Read(file);
        var count = Convert.ToInt64(Query(duck, $"SELECT count(*) FROM read_parquet({Literal(file)})").Single()[0], CultureInfo.InvariantCulture);
        Assert.Equal(rows, count);
        var described = Query(duck, $"DESCRIBE SELECT * FROM read_parquet({Literal(file)})").Select(r => ((string)r[0]!, (string)r[1]!)).ToList();
        Assert.Equal(columns.Select(c => (c.Key, SqlType(c.Value))), described);

        using var command = duck.CreateCommand();
        command.CommandText = $"SELECT * FROM read_parquet({Literal(file)})";
        using var reader = command.ExecuteReader();
        var row = 0;
        while (reader.Read())
        {
            for (var c = 0; c < columns.Count; c++)
            {
                var expected = columns[c].Value.GetValue(row);
                var actual = reader.GetValue(c);
                Assert.True(Equals(expected, actual), $"{Path.GetFileName(file)} row {row} column {columns[c].Key}: Kairos {expected}, DuckDB {actual} ({actual?.GetType().Name})");
            }
            row++;
        }
        Assert.Equal(rows, row);
        return rows;
    }

    private static string SqlType(Array values) => values switch
    {
        long[] => "BIGINT",
        int[] => "INTEGER",
        double[] => "DOUBLE",
        float[] => "FLOAT",
        string[] => "VARCHAR",
        _ => values.GetType().Name,
    };

    private static DuckDBConnection Open()
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        return connection;
    }

    private static List<object?[]> Query(DuckDBConnection duck, string sql)
    {
        using var command = duck.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var values = new object?[reader.FieldCount];
            for (var i = 0; i < values.Length; i++) values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(values);
        }
        return rows;
    }

    private static string Literal(string path) => "'" + path.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Iso(long t) => DateTimeOffset.FromUnixTimeSeconds(t).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
