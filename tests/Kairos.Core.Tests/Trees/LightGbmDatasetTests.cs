using Kairos.Trees;

namespace Kairos.Tests.Trees;

/// <summary>The chunked build and the binary file of a LightGBM dataset against the whole-matrix build, on the real EURUSD features.</summary>
public sealed class LightGbmDatasetTests
{
    private static readonly Lazy<GbdtDatasetInput> Input = new(() => GbdtDatasetInput.Load(RealDataset.Path, GbdtModelMode.Pooled));

    /// <summary>The pooled model's parameters, with bins built from a sample of 1,500 rows (fewer than the training rows), on 2 threads.</summary>
    private static string Parameters() =>
        new GbdtParameters { MaxIterations = 40, MinDataInLeaf = 20, Threads = 2 }.ToLightGbmString(Input.Value.Problem.CategoricalColumns)
        + " bin_construct_sample_cnt=1500";

    private static string Train(LightGbmDataset train, LightGbmDataset valid, string parameters)
    {
        using var booster = LightGbmBooster.Create(train, parameters);
        booster.AddValidation(valid);
        for (var i = 0; i < 40; i++) booster.UpdateOneIteration();
        return booster.SaveToString();
    }

    private static string WholeMatrixModel(string parameters)
    {
        var p = Input.Value.Problem;
        using var train = LightGbmDataset.Create(p.Train.Features, p.Train.Labels, parameters);
        using var valid = LightGbmDataset.Create(p.Validation.Features, p.Validation.Labels, parameters, train);
        return Train(train, valid, parameters);
    }

    [Theory]
    [InlineData(997)]
    [InlineData(LightGbmDataset.DefaultChunkRows)]
    public void CreateChunked_SampledBins_ModelTextByteIdenticalToTheWholeMatrix(int chunkRows)
    {
        var p = Input.Value.Problem;
        var parameters = Parameters();
        Assert.True(p.Train.Features.Rows > 1500, $"{p.Train.Features.Rows} training rows: the sample would be all of them");

        using var train = LightGbmDataset.CreateChunked(p.Train.Features, p.Train.Labels, parameters, chunkRows: chunkRows);
        using var valid = LightGbmDataset.CreateChunked(p.Validation.Features, p.Validation.Labels, parameters, train, chunkRows);

        Assert.Equal(WholeMatrixModel(parameters), Train(train, valid, parameters));
        Assert.Equal(p.Train.Labels.Select(v => (byte)v), train.Labels);
    }

    [Fact]
    public void CreateChunked_FromTheSplitFiles_ModelTextByteIdenticalToTheWholeMatrix()
    {
        var input = Input.Value;
        var parameters = Parameters();
        var trainRows = new ParquetFeatureRows(Path.Combine(RealDataset.Path, "train.parquet"), input.FeatureNames);
        var validRows = new ParquetFeatureRows(Path.Combine(RealDataset.Path, "val.parquet"), input.FeatureNames);

        using var train = LightGbmDataset.CreateChunked(trainRows, trainRows.Labels(), parameters, chunkRows: 1000);
        using var valid = LightGbmDataset.CreateChunked(validRows, validRows.Labels(), parameters, train, 1000);

        Assert.Equal(input.Problem.Train.Labels, trainRows.Labels());
        Assert.Equal(WholeMatrixModel(parameters), Train(train, valid, parameters));
    }

    [Fact]
    public void CreateChunked_OtherSampleSeed_AnotherModel()
    {
        var p = Input.Value.Problem;
        var parameters = Parameters();
        var otherSample = parameters + " data_random_seed=7";

        using var train = LightGbmDataset.CreateChunked(p.Train.Features, p.Train.Labels, otherSample, chunkRows: 997);
        using var valid = LightGbmDataset.CreateChunked(p.Validation.Features, p.Validation.Labels, otherSample, train, 997);

        Assert.NotEqual(WholeMatrixModel(parameters), Train(train, valid, parameters));
    }

    [Fact]
    public void SaveBinary_OpenedAgain_SameLabelsNamesAndModelText()
    {
        var p = Input.Value.Problem;
        var parameters = Parameters();
        var directory = TestData.TempDirectory("kairos-lgbm-binary");
        var trainFile = Path.Combine(directory, "train.bin");
        var validFile = Path.Combine(directory, "val.bin");
        using (var built = LightGbmDataset.CreateChunked(p.Train.Features, p.Train.Labels, parameters, chunkRows: 4096))
        using (var builtValid = LightGbmDataset.CreateChunked(p.Validation.Features, p.Validation.Labels, parameters, built, 4096))
        {
            built.SaveBinary(trainFile);
            builtValid.SaveBinary(validFile);
        }

        using var train = LightGbmDataset.OpenBinary(trainFile, parameters);
        using var valid = LightGbmDataset.OpenBinary(validFile, parameters, train);

        Assert.Equal(p.Train.Labels.Select(v => (byte)v), train.Labels);
        Assert.Equal(p.Validation.Labels.Select(v => (byte)v), valid.Labels);
        Assert.Equal(p.Train.Features.FeatureNames, train.FeatureNames);
        Assert.Equal(WholeMatrixModel(parameters), Train(train, valid, parameters));
        Assert.Equal(["train.bin", "val.bin"], Directory.GetFiles(directory).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void OpenBinary_MissingFile_NamesIt()
    {
        var path = Path.Combine(TestData.TempDirectory("kairos-lgbm-binary"), "absent.bin");

        var e = Assert.Throws<FileNotFoundException>(() => LightGbmDataset.OpenBinary(path, Parameters()));

        Assert.Contains(path, e.Message);
    }
}
