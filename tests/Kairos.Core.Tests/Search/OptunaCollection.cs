namespace Kairos.Tests.Search;

/// <summary>Test classes in this collection share the check (or install) of Debian's python3-optuna.</summary>
[CollectionDefinition(Name)]
public sealed class OptunaCollection : ICollectionFixture<OptunaPython>
{
    public const string Name = "optuna";
}
