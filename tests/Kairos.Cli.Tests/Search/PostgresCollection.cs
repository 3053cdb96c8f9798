namespace Kairos.Tests.Search;

/// <summary>Test classes in this collection share one throwaway PostgreSQL server (and the check of Debian's python3-optuna).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresCluster>, ICollectionFixture<OptunaPython>
{
    public const string Name = "postgres";
}
