using IdentityReplicator.Cli.Hosting;

namespace IdentityReplicator.Integration.Tests;

/// <summary>Progress for people: a step polling the same state prints it once and says how often it came.</summary>
public sealed class ProgressLinesTests
{
    [Fact]
    public void Write_SameLineTenTimes_IsPrintedOnceAndCountedWhenTheNextLineArrives()
    {
        // Arrange
        var printed = new List<string>();
        var progress = new ProgressLines(printed.Add);

        // Act
        progress.Write("promote-database: starting");
        for (var i = 0; i < 10; i++)
        {
            progress.Write("promote-database: switching-over");
        }

        progress.Write("promote-database: done");

        // Assert
        Assert.Equal(["promote-database: starting", "promote-database: switching-over", "  (the line above ×10)", "promote-database: done"], printed);
    }

    [Fact]
    public void Write_DifferentLines_AreAllPrintedAsTheyCome()
    {
        // Arrange
        var printed = new List<string>();
        var progress = new ProgressLines(printed.Add);

        // Act
        progress.Write("a");
        progress.Write("b");
        progress.Write("a");

        // Assert
        Assert.Equal(["a", "b", "a"], printed);
    }
}
