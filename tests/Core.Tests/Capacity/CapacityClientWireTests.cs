using System.Net;
using System.Text;
using Amazon.Runtime;
using IdentityReplicator.Core.AutoScaling;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.ElasticBeanstalk;
using IdentityReplicator.Core.Ecs;
using IdentityReplicator.Core.Tests.Aws;

namespace IdentityReplicator.Core.Tests.Capacity;

/// <summary>What the thin Auto Scaling, Elastic Beanstalk and ECS clients put on the wire and how they read replies and errors.</summary>
public sealed class CapacityClientWireTests
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    [Fact]
    public async Task UpdateAutoScalingGroupAsync_SignedClient_PostsQueryFormWithSizesAndAutoscalingScope()
    {
        // Arrange
        var capture = new CapturingHandler(() => Xml("<UpdateAutoScalingGroupResponse xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></UpdateAutoScalingGroupResponse>"));
        var client = AutoScalingClient.Create(new AwsEndpoint("eu-west-1"), new BasicAWSCredentials("AKIDEXAMPLE", Secret), capture);

        // Act
        await client.UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroupRequest("web-asg", MinSize: 4, DesiredCapacity: 4));

        // Assert
        var sent = Assert.Single(capture.Requests);
        Assert.Equal(new Uri("https://autoscaling.eu-west-1.amazonaws.com/"), sent.Uri);
        Assert.StartsWith("application/x-www-form-urlencoded", sent.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal("Action=UpdateAutoScalingGroup&Version=2011-01-01&AutoScalingGroupName=web-asg&MinSize=4&DesiredCapacity=4", Encoding.UTF8.GetString(sent.Body));
        var parsed = SigV4Reference.Parse(sent.Header("Authorization"));
        Assert.Equal(("eu-west-1", "autoscaling"), (parsed.Region, parsed.Service));
        Assert.Equal(SigV4Reference.Recompute(sent, Secret), sent.Header("Authorization"));
    }

    [Fact]
    public async Task DescribeAutoScalingGroupsAsync_TwoPages_ReadsSizesAndHealthyInstancesOfBoth()
    {
        // Arrange
        var capture = new CapturingHandler((_, i) => Xml(i == 0
            ? Groups("<member><AutoScalingGroupName>a</AutoScalingGroupName><MinSize>1</MinSize><MaxSize>8</MaxSize><DesiredCapacity>3</DesiredCapacity><Instances>"
                + "<member><InstanceId>i-1</InstanceId><LifecycleState>InService</LifecycleState><HealthStatus>Healthy</HealthStatus></member>"
                + "<member><InstanceId>i-2</InstanceId><LifecycleState>Pending</LifecycleState><HealthStatus>Healthy</HealthStatus></member>"
                + "<member><InstanceId>i-3</InstanceId><LifecycleState>InService</LifecycleState><HealthStatus>Unhealthy</HealthStatus></member>"
                + "</Instances></member>", "tok")
            : Groups("<member><AutoScalingGroupName>b</AutoScalingGroupName><MinSize>0</MinSize><MaxSize>2</MaxSize><DesiredCapacity>0</DesiredCapacity><Instances/></member>", null)));
        var client = new AutoScalingClient(new HttpClient(capture), new AwsEndpoint("eu-west-1"));

        // Act
        var groups = await client.DescribeAutoScalingGroupsAsync(["a", "b"]);

        // Assert
        Assert.Equal(["a", "b"], groups.Select(g => g.AutoScalingGroupName));
        Assert.Equal((1, 8, 3, 1), (groups[0].MinSize, groups[0].MaxSize, groups[0].DesiredCapacity, groups[0].InServiceHealthyCount));
        Assert.Contains("AutoScalingGroupNames.member.1=a&AutoScalingGroupNames.member.2=b", Encoding.UTF8.GetString(capture.Requests[0].Body), StringComparison.Ordinal);
        Assert.EndsWith("&NextToken=tok", Encoding.UTF8.GetString(capture.Requests[1].Body), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ScalingActivityInProgress", true)]
    [InlineData("ResourceContention", true)]
    [InlineData("ValidationError", false)]
    public async Task UpdateAutoScalingGroupAsync_ServiceError_IsTypedAndSaysWhetherToRetry(string code, bool retryable)
    {
        // Arrange
        var capture = new CapturingHandler(() => Xml($"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>m</Message></Error><RequestId>x</RequestId></ErrorResponse>", HttpStatusCode.BadRequest));
        var client = new AutoScalingClient(new HttpClient(capture), new AwsEndpoint("eu-west-1"));

        // Act
        var error = await Assert.ThrowsAsync<AutoScalingException>(() => client.UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroupRequest("a", DesiredCapacity: 2)));

        // Assert
        Assert.Equal((code, retryable), (error.ErrorCode, error.IsRetryable));
    }

    [Fact]
    public async Task UpdateEnvironmentAsync_AsgSizes_FlattensOptionSettingsAsTheSdkDoes()
    {
        // Arrange
        var capture = new CapturingHandler(() => Xml("<UpdateEnvironmentResponse><UpdateEnvironmentResult><EnvironmentName>web-standby</EnvironmentName><Status>Updating</Status><Health>Grey</Health></UpdateEnvironmentResult></UpdateEnvironmentResponse>"));
        var client = ElasticBeanstalkClient.Create(new AwsEndpoint("us-west-2"), new BasicAWSCredentials("AKIDEXAMPLE", Secret), capture);

        // Act
        var environment = await client.UpdateEnvironmentAsync("web-standby", [new(ElasticBeanstalkClient.AsgNamespace, "MinSize", "4"), new(ElasticBeanstalkClient.AsgNamespace, "MaxSize", "8")]);

        // Assert
        var sent = Assert.Single(capture.Requests);
        Assert.Equal(new Uri("https://elasticbeanstalk.us-west-2.amazonaws.com/"), sent.Uri);
        Assert.Equal(
            "Action=UpdateEnvironment&Version=2010-12-01&EnvironmentName=web-standby"
            + "&OptionSettings.member.1.Namespace=aws%3Aautoscaling%3Aasg&OptionSettings.member.1.OptionName=MinSize&OptionSettings.member.1.Value=4"
            + "&OptionSettings.member.2.Namespace=aws%3Aautoscaling%3Aasg&OptionSettings.member.2.OptionName=MaxSize&OptionSettings.member.2.Value=8",
            Encoding.UTF8.GetString(sent.Body));
        Assert.Equal("elasticbeanstalk", SigV4Reference.Parse(sent.Header("Authorization")).Service);
        Assert.Equal(("web-standby", "Updating"), (environment.EnvironmentName, environment.Status));
    }

    [Fact]
    public async Task DescribeEnvironmentHealthAsync_InstancesHealth_CountsOkAndAll()
    {
        // Arrange
        var capture = new CapturingHandler(() => Xml("<DescribeEnvironmentHealthResponse><DescribeEnvironmentHealthResult><EnvironmentName>e</EnvironmentName><Status>Ready</Status><Color>Green</Color><HealthStatus>Ok</HealthStatus>"
            + "<InstancesHealth><Ok>3</Ok><Pending>1</Pending><NoData>0</NoData><Warning>1</Warning></InstancesHealth></DescribeEnvironmentHealthResult></DescribeEnvironmentHealthResponse>"));
        var client = new ElasticBeanstalkClient(new HttpClient(capture), new AwsEndpoint("us-west-2"));

        // Act
        var health = await client.DescribeEnvironmentHealthAsync("e");

        // Assert
        Assert.Equal(("Ready", "Green", "Ok", 3, 5), (health.Status, health.Color, health.HealthStatus, health.InstancesOk, health.InstancesTotal));
        Assert.Contains("AttributeNames.member.1=All", Encoding.UTF8.GetString(capture.Requests[0].Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeConfigurationSettingsAsync_Reply_ReadsTheAsgSizes()
    {
        // Arrange
        var capture = new CapturingHandler(() => Xml("<DescribeConfigurationSettingsResponse><DescribeConfigurationSettingsResult><ConfigurationSettings><member><EnvironmentName>e</EnvironmentName><OptionSettings>"
            + "<member><Namespace>aws:autoscaling:asg</Namespace><OptionName>MinSize</OptionName><Value>1</Value></member>"
            + "<member><Namespace>aws:autoscaling:asg</Namespace><OptionName>MaxSize</OptionName><Value>4</Value></member>"
            + "</OptionSettings></member></ConfigurationSettings></DescribeConfigurationSettingsResult></DescribeConfigurationSettingsResponse>"));
        var client = new ElasticBeanstalkClient(new HttpClient(capture), new AwsEndpoint("us-west-2"));

        // Act
        var settings = await client.DescribeConfigurationSettingsAsync("app", "e");

        // Assert
        Assert.Equal([new("aws:autoscaling:asg", "MinSize", "1"), new ConfigurationOptionSetting("aws:autoscaling:asg", "MaxSize", "4")], settings);
        Assert.Equal("Action=DescribeConfigurationSettings&Version=2010-12-01&ApplicationName=app&EnvironmentName=e", Encoding.UTF8.GetString(capture.Requests[0].Body));
    }

    [Fact]
    public async Task UpdateServiceAsync_SignedClient_PostsJson11CamelCaseWithEcsTarget()
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Json("""{"service":{"serviceName":"api","status":"ACTIVE","desiredCount":4,"runningCount":1,"pendingCount":3,"deployments":[{"id":"d","status":"PRIMARY","desiredCount":4,"runningCount":1,"pendingCount":3,"rolloutState":"IN_PROGRESS"}]}}"""));
        var client = EcsClient.Create(new AwsEndpoint("us-west-2"), new BasicAWSCredentials("AKIDEXAMPLE", Secret), capture);

        // Act
        var response = await client.UpdateServiceAsync(new UpdateServiceRequest("prod", "api", 4));

        // Assert
        var sent = Assert.Single(capture.Requests);
        Assert.Equal("AmazonEC2ContainerServiceV20141113.UpdateService", sent.Header("X-Amz-Target"));
        Assert.Equal("""{"cluster":"prod","service":"api","desiredCount":4}""", Encoding.UTF8.GetString(sent.Body));
        Assert.Equal("ecs", SigV4Reference.Parse(sent.Header("Authorization")).Service);
        Assert.Equal((4, 1), (response.Service!.DesiredCount, response.Service.RunningCount));
        Assert.False(response.Service.IsSteadyAt(4));
    }

    [Fact]
    public async Task DescribeServicesAsync_MissingService_IsAFailureNotAnError()
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Json("""{"services":[{"serviceName":"api","status":"ACTIVE","desiredCount":2,"runningCount":2,"pendingCount":0,"deployments":[{"status":"PRIMARY","rolloutState":"COMPLETED"}]}],"failures":[{"arn":"arn:aws:ecs:us-west-2:1:service/prod/gone","reason":"MISSING"}]}"""));
        var client = new EcsClient(new HttpClient(capture), new AwsEndpoint("us-west-2"));

        // Act
        var response = await client.DescribeServicesAsync(new DescribeServicesRequest("prod", ["api", "gone"]));

        // Assert
        Assert.True(response.Services[0].IsSteadyAt(2));
        Assert.Equal("MISSING", Assert.Single(response.Failures).Reason);
    }

    [Fact]
    public async Task UpdateServiceAsync_ServiceNotFound_ThrowsTypedNotFound()
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Json("""{"__type":"ServiceNotFoundException","message":"Service not found."}""", HttpStatusCode.BadRequest));
        var client = new EcsClient(new HttpClient(capture), new AwsEndpoint("us-west-2"));

        // Act
        var error = await Assert.ThrowsAsync<EcsException>(() => client.UpdateServiceAsync(new UpdateServiceRequest("prod", "gone", 2)));

        // Assert
        Assert.True(error.IsNotFound);
        Assert.False(error.IsRetryable);
    }

    private static string Groups(string members, string? next) =>
        $"<DescribeAutoScalingGroupsResponse xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\"><DescribeAutoScalingGroupsResult><AutoScalingGroups>{members}</AutoScalingGroups>"
        + (next is null ? string.Empty : $"<NextToken>{next}</NextToken>") + "</DescribeAutoScalingGroupsResult></DescribeAutoScalingGroupsResponse>";

    private static HttpResponseMessage Xml(string xml, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(xml, Encoding.UTF8, "text/xml") };
}
