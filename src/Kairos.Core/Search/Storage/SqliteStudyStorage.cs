using System.Data.Common;
using System.Globalization;
using Kairos.Errors;
using Microsoft.Data.Sqlite;

namespace Kairos.Search.Storage;

/// <summary>
/// Embedded study storage in one SQLite file (the default). WAL journal so readers never block the
/// writer, a 60 s busy timeout, and every write transaction opened with BEGIN IMMEDIATE so two
/// processes queue for the write lock instead of failing with "database is locked".
/// </summary>
public sealed class SqliteStudyStorage : SqlStudyStorage
{
    private readonly string _connectionString;

    public SqliteStudyStorage(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString();
        using var c = OpenConnection();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode=WAL;";
        cmd.ExecuteNonQuery();
    }

    public string Path { get; }

    public override string Location => "sqlite:" + Path;

    protected override string NowSql => "((julianday('now') - 2440587.5) * 86400.0)";

    protected override string ForUpdate => "";

    protected override string SkipLocked => "";

    protected override bool IsPostgres => false;

    /// <summary>SQLAlchemy's SQLite DATETIME text: always six fraction digits (it reads the digits as microseconds).</summary>
    protected override object OptunaTime(DateTime localTime) => localTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    protected override bool TableExists(DbConnection connection, DbTransaction transaction, string table) =>
        Scalar(connection, transaction, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = @t", ("t", table)) is not null;

    protected override void AdvanceKey(DbConnection connection, DbTransaction transaction, string table, string column)
    {
        // INTEGER PRIMARY KEY takes max + 1 by itself.
    }

    protected override DbConnection OpenConnection()
    {
        var c = new SqliteConnection(_connectionString);
        try
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA busy_timeout=60000; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
            cmd.ExecuteNonQuery();
            return c;
        }
        catch (SqliteException e)
        {
            c.Dispose();
            throw new ConfigException(Location, [$"cannot open the study database: {e.Message}"]);
        }
    }

    protected override DbTransaction BeginWrite(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: false);

    protected override void LockForMigration(DbConnection connection, DbTransaction transaction)
    {
        // BEGIN IMMEDIATE already holds the database's write lock.
    }

    public override void Dispose()
    {
        // Pooled connections keep the file open; release them so the file can be moved or deleted.
        using var c = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(c);
    }
}
