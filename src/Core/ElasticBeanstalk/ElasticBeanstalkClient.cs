using System.Xml.Linq;
using Amazon.Runtime;
using IdentityReplicator.Core.Aws;

namespace IdentityReplicator.Core.ElasticBeanstalk;

/// <summary>An environment (shape <c>EnvironmentDescription</c>; the members capacity steps use).</summary>
public sealed record EnvironmentDescription
{
    public required string EnvironmentName { get; init; }

    public string? EnvironmentId { get; init; }

    public string? ApplicationName { get; init; }

    public string? EnvironmentArn { get; init; }

    /// <summary><c>Launching</c>, <c>Updating</c>, <c>Ready</c>, <c>Terminating</c>, <c>Terminated</c>, …</summary>
    public string? Status { get; init; }

    /// <summary>Basic health colour: <c>Green</c>, <c>Yellow</c>, <c>Red</c>, <c>Grey</c>.</summary>
    public string? Health { get; init; }

    /// <summary>Enhanced health: <c>Ok</c>, <c>Info</c>, <c>Warning</c>, <c>Degraded</c>, <c>Severe</c>, …</summary>
    public string? HealthStatus { get; init; }

    internal static EnvironmentDescription Read(XElement e) => new()
    {
        EnvironmentName = e.Text("EnvironmentName") ?? string.Empty,
        EnvironmentId = e.Text("EnvironmentId"),
        ApplicationName = e.Text("ApplicationName"),
        EnvironmentArn = e.Text("EnvironmentArn"),
        Status = e.Text("Status"),
        Health = e.Text("Health"),
        HealthStatus = e.Text("HealthStatus"),
    };
}

/// <summary>One option setting (shape <c>ConfigurationOptionSetting</c>), e.g. <c>aws:autoscaling:asg</c> / <c>MinSize</c>.</summary>
public sealed record ConfigurationOptionSetting(string Namespace, string OptionName, string? Value);

/// <summary>Reply shape <c>EnvironmentHealthDescription</c> (enhanced health), with its <c>InstancesHealth</c> counts.</summary>
public sealed record EnvironmentHealthDescription
{
    public string? EnvironmentName { get; init; }

    public string? Status { get; init; }

    public string? Color { get; init; }

    public string? HealthStatus { get; init; }

    /// <summary>Instances reporting <c>Ok</c>.</summary>
    public int InstancesOk { get; init; }

    /// <summary>Instances in any state (NoData, Unknown, Pending, Ok, Info, Warning, Degraded, Severe).</summary>
    public int InstancesTotal { get; init; }
}

/// <summary>An error answered by Elastic Beanstalk (<c>InvalidParameterValue</c>, <c>OperationInProgressFailure</c>, …).</summary>
internal sealed class ElasticBeanstalkException : AwsServiceException
{
    public ElasticBeanstalkException(AwsErrorInfo error)
        : base(ElasticBeanstalkClient.SigningName, error.Code, error.Message, error.StatusCode, error.RequestId)
    {
        Operation = error.Operation;
    }

    public ElasticBeanstalkException()
    {
    }

    public ElasticBeanstalkException(string message)
        : base(message)
    {
    }

    public ElasticBeanstalkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The environment is busy with another update: the same call succeeds once it is Ready again.</summary>
    public override bool IsRetryable => base.IsRetryable || ErrorCode == "OperationInProgressFailure";
}

/// <summary>A thin client of AWS Elastic Beanstalk in one Region (Query protocol, API 2010-12-01, XML replies).</summary>
public sealed class ElasticBeanstalkClient
{
    public const string SigningName = "elasticbeanstalk";
    public const string ApiVersion = "2010-12-01";

    /// <summary>The option namespace that holds an environment's Auto Scaling group size.</summary>
    public const string AsgNamespace = "aws:autoscaling:asg";

    private static readonly string[] HealthCounts = ["NoData", "Unknown", "Pending", "Ok", "Info", "Warning", "Degraded", "Severe"];

    private readonly AwsQueryTransport _transport;

    public ElasticBeanstalkClient(HttpClient http, AwsEndpoint endpoint)
    {
        Region = endpoint.Region;
        _transport = new AwsQueryTransport(http, endpoint.ResolveUri(SigningName), ApiVersion, e => new ElasticBeanstalkException(e));
    }

    public string Region { get; }

    public static ElasticBeanstalkClient Create(AwsEndpoint endpoint, AWSCredentials credentials, HttpMessageHandler? transport = null) =>
        new(SignedHttpClient.Create(credentials, endpoint.Region, SigningName, transport), endpoint);

    /// <summary>The named environments that exist, terminated ones left out (all pages).</summary>
    public async Task<IReadOnlyList<EnvironmentDescription>> DescribeEnvironmentsAsync(string? applicationName, IReadOnlyList<string> environmentNames, CancellationToken cancellationToken = default)
    {
        var fixedParameters = new List<KeyValuePair<string, string>>();
        if (applicationName is not null)
        {
            fixedParameters.Add(new("ApplicationName", applicationName));
        }

        fixedParameters.AddRange(environmentNames.Select((n, i) => new KeyValuePair<string, string>($"EnvironmentNames.member.{i + 1}", n)));
        fixedParameters.Add(new("IncludeDeleted", "false"));
        var environments = new List<EnvironmentDescription>();
        string? next = null;
        do
        {
            var page = new List<KeyValuePair<string, string>>(fixedParameters);
            if (next is not null)
            {
                page.Add(new("NextToken", next));
            }

            var result = await _transport.SendAsync("DescribeEnvironments", page, cancellationToken);
            environments.AddRange(result.Items("Environments").Select(EnvironmentDescription.Read));
            next = result.Text("NextToken");
        }
        while (!string.IsNullOrEmpty(next));
        return environments;
    }

    /// <summary>The environment's option settings (DescribeConfigurationSettings of its running configuration).</summary>
    public async Task<IReadOnlyList<ConfigurationOptionSetting>> DescribeConfigurationSettingsAsync(string applicationName, string environmentName, CancellationToken cancellationToken = default)
    {
        var result = await _transport.SendAsync(
            "DescribeConfigurationSettings",
            [new("ApplicationName", applicationName), new("EnvironmentName", environmentName)],
            cancellationToken);
        return
        [
            .. result.Items("ConfigurationSettings")
                .SelectMany(c => c.Items("OptionSettings"))
                .Select(o => new ConfigurationOptionSetting(o.Text("Namespace") ?? string.Empty, o.Text("OptionName") ?? string.Empty, o.Text("Value"))),
        ];
    }

    /// <summary>Changes option settings of a running environment (UpdateEnvironment); returns the environment as it now is.</summary>
    public async Task<EnvironmentDescription> UpdateEnvironmentAsync(string environmentName, IReadOnlyList<ConfigurationOptionSetting> optionSettings, CancellationToken cancellationToken = default)
    {
        var parameters = new List<KeyValuePair<string, string>> { new("EnvironmentName", environmentName) };
        for (var i = 0; i < optionSettings.Count; i++)
        {
            var prefix = $"OptionSettings.member.{i + 1}.";
            parameters.Add(new(prefix + "Namespace", optionSettings[i].Namespace));
            parameters.Add(new(prefix + "OptionName", optionSettings[i].OptionName));
            if (optionSettings[i].Value is { } value)
            {
                parameters.Add(new(prefix + "Value", value));
            }
        }

        var result = await _transport.SendAsync("UpdateEnvironment", parameters, cancellationToken);
        return EnvironmentDescription.Read(result);
    }

    /// <summary>Enhanced health of the environment and how many of its instances are Ok (DescribeEnvironmentHealth, AttributeNames All).</summary>
    public async Task<EnvironmentHealthDescription> DescribeEnvironmentHealthAsync(string environmentName, CancellationToken cancellationToken = default)
    {
        var result = await _transport.SendAsync(
            "DescribeEnvironmentHealth",
            [new("EnvironmentName", environmentName), new("AttributeNames.member.1", "All")],
            cancellationToken);
        var instances = result.Child("InstancesHealth");
        return new EnvironmentHealthDescription
        {
            EnvironmentName = result.Text("EnvironmentName"),
            Status = result.Text("Status"),
            Color = result.Text("Color"),
            HealthStatus = result.Text("HealthStatus"),
            InstancesOk = (int)(instances.Long("Ok") ?? 0),
            InstancesTotal = HealthCounts.Sum(name => (int)(instances.Long(name) ?? 0)),
        };
    }
}
