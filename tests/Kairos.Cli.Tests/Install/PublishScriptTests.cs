namespace Kairos.Tests.Install;

/// <summary>
/// The README's first command starts with the repository's <c>./kairos</c> script: it publishes the CLI ReadyToRun
/// when the publish is missing or older than a source file, then runs it with the caller's arguments and directory.
/// </summary>
[Collection(PublishCollection.Name)]
public class PublishScriptTests
{
    [Fact]
    public void Script_PublishesOnceRunsFromTheCallersDirectoryAndPublishesAgainWhenStale()
    {
        var temp = TestData.TempDirectory("kairos-script");
        var published = Path.Combine(temp, "published");
        var environment = new Dictionary<string, string> { ["KAIROS_PUBLISH_DIR"] = published };
        var script = Path.Combine(TestData.RepositoryRoot, "kairos");
        try
        {
            var first = ToolPackageTests.Run(script, ["--help"], temp, environment);
            Assert.True(first.ExitCode == 0, first.ToString());
            Assert.Contains("publishing", first.StandardError);
            Assert.DoesNotContain("publishing", first.StandardOutput);
            foreach (var command in new[] { "snapshot", "dataset", "run", "serve" })
                Assert.Contains(command, first.StandardOutput);
            var binary = Path.Combine(published, "kairos");
            var stamp = Path.Combine(published, ".published");
            Assert.True(File.Exists(binary) && File.Exists(stamp), first.ToString());
            var publishedAt = File.GetLastWriteTimeUtc(binary);

            // Up to date: runs at once, with paths relative to the caller's directory; stdout is the command's JSON alone.
            var snapshot = ToolPackageTests.Run(script, ["snapshot", "create", "--input", TestData.File("EURUSD_M5_2025_mt5.csv"),
                "--symbol", "EURUSD", "--out", "snaps", "--json"], temp, environment);
            Assert.True(snapshot.ExitCode == 0, snapshot.ToString());
            Assert.DoesNotContain("publishing", snapshot.StandardError);
            Assert.Equal(publishedAt, File.GetLastWriteTimeUtc(binary));
            var directory = Path.GetFullPath(snapshot.Json().GetProperty("directory").GetString()!, temp);
            Assert.StartsWith(Path.Combine(temp, "snaps") + Path.DirectorySeparatorChar, directory);
            Assert.True(File.Exists(Path.Combine(directory, "manifest.json")), snapshot.ToString());

            // A source newer than the publish (here: the publish made older than every source) publishes again.
            File.SetLastWriteTimeUtc(stamp, new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc));
            var again = ToolPackageTests.Run(script, ["--help"], temp, environment);
            Assert.True(again.ExitCode == 0, again.ToString());
            Assert.Contains("publishing", again.StandardError);
            Assert.True(File.GetLastWriteTimeUtc(stamp).Year > 2000);
        }
        finally
        {
            Directory.Delete(temp, recursive: true); // 0.6 GB: the publish
        }
    }
}

/// <summary>Tests that publish or pack src/Kairos.Cli run one at a time: they share its obj folder.</summary>
[CollectionDefinition(Name)]
public sealed class PublishCollection
{
    public const string Name = "publish";
}
