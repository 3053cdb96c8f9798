namespace Kairos.Tests.Search;

/// <summary>Test classes in this collection share one throwaway PostgreSQL server.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "postgres";
}
