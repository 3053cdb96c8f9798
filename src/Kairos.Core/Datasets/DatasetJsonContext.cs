using System.Text.Json.Serialization;

namespace Kairos.Datasets;

/// <summary>
/// Source-generated JSON metadata of the files a dataset build reads and writes (config, <c>dataset.json</c>,
/// <c>splits.json</c>), so a build does not emit reflection accessors at start-up. Names, order and converters come
/// from <see cref="DatasetJson.Options"/> at run time: the bytes are those of the reflection resolver.
/// </summary>
[JsonSerializable(typeof(DatasetConfig))]
[JsonSerializable(typeof(DatasetMetadata))]
[JsonSerializable(typeof(SplitFile))]
internal sealed partial class DatasetJsonContext : JsonSerializerContext;
