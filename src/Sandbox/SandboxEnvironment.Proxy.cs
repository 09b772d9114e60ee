using IdentityReplicator.Sandbox.Cognito;
using IdentityReplicator.Sandbox.Proxy;

namespace IdentityReplicator.Sandbox;

/// <summary>The sandbox's Cognito proxy: quotas, faults and paging in front of each emulator.</summary>
public sealed partial record SandboxOptions
{
    /// <summary>Cognito's request-rate quotas enforced in front of both pools; off (null) by default.</summary>
    public QuotaProxyOptions? Quotas { get; init; }

    /// <summary>Faults injected in front of both pools; none (null) by default.</summary>
    public FaultOptions? Faults { get; init; }

    /// <summary>Page listings of users and groups at most 60 at a time, as Cognito does (on by default).</summary>
    public bool PageListings { get; init; } = true;
}

public sealed partial class SandboxEnvironment
{
    private readonly Dictionary<string, (QuotaProxy Quotas, FaultInjector Faults)> _proxies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CognitoFront> _fronts = new(StringComparer.Ordinal);

    /// <summary>The Cognito front of a pool (tests read its interceptor chain).</summary>
    internal CognitoFront FrontOf(SandboxPool pool) => _fronts[pool.Region];

    /// <summary>The quota proxy in front of a pool (switch it on or off, read its counters).</summary>
    public QuotaProxy QuotaProxyOf(SandboxPool pool) => _proxies[pool.Region].Quotas;

    /// <summary>The fault injector in front of a pool.</summary>
    public FaultInjector FaultsOf(SandboxPool pool) => _proxies[pool.Region].Faults;

    /// <summary>Interceptors that go first in a pool's front: faults, then quotas, then those answering from the emulator (paging, group errors).</summary>
    private List<ICognitoInterceptor> ProxyInterceptors(string region, Uri emulator, SandboxOptions options, TimeProvider time)
    {
        var quotas = new QuotaProxy(time);
        quotas.Configure(options.Quotas);
        var faults = new FaultInjector(time);
        faults.Configure(options.Faults);
        _proxies[region] = (quotas, faults);
        var forwarder = new EmulatorForwarder(emulator);
        _owned.Add(new DisposableAdapter(forwarder));
        List<ICognitoInterceptor> interceptors = [faults, quotas];
        if (options.PageListings)
        {
            interceptors.Add(new ListPaging(forwarder, time));
        }

        interceptors.Add(new MissingGroupIsNotFound(forwarder));
        return interceptors;
    }
}
