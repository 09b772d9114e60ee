using IdentityReplicator.Core.AutoScaling;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Ecs;
using IdentityReplicator.Core.ElasticBeanstalk;
using IdentityReplicator.Sandbox.Capacity;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Sandbox.Tests.Capacity;

/// <summary>How the local capacity endpoints move capacity: new instances and tasks come into service after the ramp.</summary>
public sealed class LocalCapacityTests
{
    private const string Region = "us-west-2";
    private static readonly TimeSpan Ramp = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task UpdateEnvironment_ScaleOneToFour_UpdatingUntilTheRampThenReadyWithFourOk()
    {
        // Arrange
        var time = new FakeTimeProvider();
        await using var local = await LocalElasticBeanstalk.StartAsync(time, Ramp, CancellationToken.None);
        local.AddEnvironment(Region, "shop", "shop-standby", min: 1, max: 4);
        var client = ElasticBeanstalkClient.Create(new AwsEndpoint(Region, local.Url), SandboxEnvironment.Credentials);

        // Act
        await client.UpdateEnvironmentAsync("shop-standby", [new(ElasticBeanstalkClient.AsgNamespace, "MinSize", "4")]);
        var during = await client.DescribeEnvironmentHealthAsync("shop-standby");
        var second = await Assert.ThrowsAsync<ElasticBeanstalkException>(() => client.UpdateEnvironmentAsync("shop-standby", [new(ElasticBeanstalkClient.AsgNamespace, "MinSize", "2")]));
        time.Advance(Ramp);
        var after = await client.DescribeEnvironmentHealthAsync("shop-standby");

        // Assert
        Assert.Equal(("Updating", 1), (during.Status, during.InstancesOk));
        Assert.Equal("InvalidParameterValue", second.ErrorCode);
        Assert.Equal(("Ready", "Green", 4), (after.Status, after.Color, after.InstancesOk));
        Assert.Equal((4, 4, 4), local.Size(Region, "shop-standby"));
    }

    [Fact]
    public async Task UpdateAutoScalingGroup_DesiredAboveMax_IsAValidationError()
    {
        // Arrange
        await using var local = await LocalAutoScaling.StartAsync(new FakeTimeProvider(), Ramp, CancellationToken.None);
        local.AddGroup(Region, "web", min: 1, max: 2, desired: 1);
        var client = AutoScalingClient.Create(new AwsEndpoint(Region, local.Url), SandboxEnvironment.Credentials);

        // Act
        var error = await Assert.ThrowsAsync<AutoScalingException>(() => client.UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroupRequest("web", DesiredCapacity: 3)));

        // Assert
        Assert.Equal("ValidationError", error.ErrorCode);
        Assert.Equal(0, local.Changes(Region, "web"));
    }

    [Fact]
    public async Task UpdateService_ScaleOut_RunningReachesDesiredOnlyAfterTheRamp()
    {
        // Arrange
        var time = new FakeTimeProvider();
        await using var local = await LocalEcs.StartAsync(time, Ramp, CancellationToken.None);
        local.AddService(Region, "prod", "api", desired: 1);
        var client = EcsClient.Create(new AwsEndpoint(Region, local.Url), SandboxEnvironment.Credentials);

        // Act
        var during = (await client.UpdateServiceAsync(new UpdateServiceRequest("prod", "api", 3))).Service!;
        time.Advance(Ramp);
        var after = (await client.DescribeServicesAsync(new DescribeServicesRequest("prod", ["api"]))).Services.Single();

        // Assert
        Assert.False(during.IsSteadyAt(3));
        Assert.True(after.IsSteadyAt(3));
    }

    [Fact]
    public async Task DescribeAutoScalingGroups_OtherRegion_SeesNoGroup()
    {
        // Arrange
        await using var local = await LocalAutoScaling.StartAsync(new FakeTimeProvider(), Ramp, CancellationToken.None);
        local.AddGroup("us-east-1", "web", min: 1, max: 2, desired: 1);
        var client = AutoScalingClient.Create(new AwsEndpoint(Region, local.Url), SandboxEnvironment.Credentials);

        // Act
        var groups = await client.DescribeAutoScalingGroupsAsync(["web"]);

        // Assert
        Assert.Empty(groups);
    }
}
