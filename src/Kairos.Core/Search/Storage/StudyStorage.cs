using Kairos.Errors;

namespace Kairos.Search.Storage;

/// <summary>Opens a study storage from <c>--storage</c>: <c>sqlite:PATH</c> or <c>postgres://...</c>.</summary>
public static class StudyStorage
{
    public static IStudyStorage Open(string location)
    {
        if (location.StartsWith("sqlite:", StringComparison.Ordinal))
        {
            var path = location["sqlite:".Length..];
            if (path.Length == 0) throw new ConfigException("--storage", ["sqlite: needs a file path (sqlite:PATH)"]);
            return new SqliteStudyStorage(path);
        }
        if (location.StartsWith("postgres://", StringComparison.Ordinal) || location.StartsWith("postgresql://", StringComparison.Ordinal))
            return new PostgresStudyStorage(location);
        throw new ConfigException("--storage", [$"'{location}' is neither sqlite:PATH nor postgres://user:password@host:port/database"]);
    }
}
