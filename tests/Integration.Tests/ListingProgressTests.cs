using IdentityReplicator.Cli.Hosting;
using IdentityReplicator.Core.Pools;

namespace IdentityReplicator.Integration.Tests;

/// <summary>A long drift report or sweep shows, on a terminal, how far its listing has come and how long it has left.</summary>
public sealed class ListingProgressTests
{
    [Fact]
    public void Line_SourceWithAnEstimateHalfListed_ShowsUsersPagesRateAndTimeLeft()
    {
        // Arrange
        var progress = new ListingProgress();
        progress.Expect("source", 1_000);
        progress.Enter("listing");
        progress.Listed("source", 500);
        progress.Listed("target", 490);

        // Act
        var line = ListingProgressDisplay.Line("drift", progress, TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal("drift: listing · source 500/1,000 users (9 pages) · 50 users/s · ETA 0:00:10 · target 490 users (9 pages) · 49 users/s", line);
    }

    [Fact]
    public void Listed_CountsArrivingOutOfOrder_KeepsTheHighest()
    {
        var progress = new ListingProgress();

        progress.Listed("source", 120);
        progress.Listed("source", 60);

        Assert.Equal(120, Assert.Single(progress.Sides).Users);
    }
}
