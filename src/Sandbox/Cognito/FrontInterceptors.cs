using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Sandbox.Cognito.Configuration;
using IdentityReplicator.Sandbox.Cognito.NativeReplica;
using IdentityReplicator.Sandbox.Emulators;
using IdentityReplicator.Sandbox.EventBridge;
using IdentityReplicator.Sandbox.Proxy;

namespace IdentityReplicator.Sandbox.Cognito;

/// <summary>
/// The interceptors of one pool's front, each named for its role, and <see cref="Chain"/>: the order the front runs
/// them in. The order is behaviour: before a call, each interceptor may answer in the emulator's place, and the first
/// answer stops the chain (the ones after it do not run); after the answer, every interceptor watches it, in the same
/// order.
/// </summary>
internal sealed record FrontInterceptors
{
    public required FaultInjector Faults { get; init; }

    public required QuotaProxy Quotas { get; init; }

    /// <summary>Null when <see cref="SandboxOptions.RecordCloudTrail"/> is off.</summary>
    public CloudTrailRecorder? CloudTrail { get; init; }

    /// <summary>Null when <see cref="SandboxOptions.PageListings"/> is off.</summary>
    public ListPaging? Paging { get; init; }

    public required MissingGroupIsNotFound MissingGroup { get; init; }

    public required DuplicateGroupIsRefused DuplicateGroup { get; init; }

    /// <summary>The pool configuration the front serves itself (app clients, secrets, domains, branding, …).</summary>
    public required ConfigurationFront Configuration { get; init; }

    public required DisabledUsersCannotSignIn DisabledUsers { get; init; }

    public required VerifiedFlagAlone VerifiedFlag { get; init; }

    public required PreSignUpOnAdminCreateUser PreSignUp { get; init; }

    /// <summary>The primary's pool id served as a Cognito native replica in this Region; null when the sandbox has no native replicas wired.</summary>
    public SecondaryEndpoint? NativeSecondary { get; init; }

    /// <summary>The four replica operations (and the primary's watch on user writes, for the replica's lag); null when not wired.</summary>
    public ReplicaOperations? NativeReplicas { get; init; }

    /// <summary>The interceptors in the order each call runs through them.</summary>
    public IReadOnlyList<ICognitoInterceptor> Chain =>
    [
        // 1. Faults: what befalls a call on its way to Cognito (a drop, a 5xx, latency, a throttle). A faulted call
        //    never reached Cognito, so it uses no quota and the quota proxy does not count it.
        Faults,

        // 2. Quotas: a call over Cognito's rate is refused before Cognito does anything with it.
        Quotas,

        // 2a. Native replication: a pool's replica in this Region answers before anything of this Region's emulator
        //     (its calls are served from the primary's directory), and the replica operations are answered here.
        .. Optional(NativeSecondary),
        .. Optional(NativeReplicas),

        // 3. CloudTrail: sees every call that reached "Cognito" (got past faults and quotas). It reads the user's sub
        //    before the call changes the user, so it must come before the fixes below that answer in the emulator's
        //    place — their answer would stop the chain before it looked.
        .. Optional(CloudTrail),

        // 4. The emulator fixes that answer in its place: listings paged like Cognito's, group errors typed (a
        //    duplicate CreateGroup refused instead of emptying the group), and the pool configuration cognito-local
        //    lacks or gets wrong (served from the front's own store).
        .. Optional(Paging),
        MissingGroup,
        DuplicateGroup,
        Configuration,

        // 5. The emulator fixes for single operations (sign-in of a disabled user, a verified flag set alone).
        DisabledUsers,
        VerifiedFlag,

        // 6. Last, and after the answer only: the PreSignUp trigger Cognito fires for AdminCreateUser, once the
        //    user exists (the emulator assigns its username).
        PreSignUp,
    ];

    /// <summary>
    /// A pool front's interceptors, as <paramref name="options"/> asks for them: <paramref name="emulator"/> is a client
    /// straight to the emulator (for fixes that read the user first), <paramref name="forwarder"/> sends calls straight
    /// to it (for fixes that answer in its place), CloudTrail records go to <paramref name="bus"/> and triggers to the
    /// Invoke endpoint behind <paramref name="lambda"/>, both carrying <paramref name="region"/>; the configuration the
    /// front serves itself is kept in <paramref name="dataFolder"/> (in memory when null).
    /// </summary>
    public static FrontInterceptors Create(
        string region,
        CognitoIdentityProviderClient emulator,
        EmulatorForwarder forwarder,
        LocalEventBus bus,
        HttpClient lambda,
        SandboxOptions options,
        string? dataFolder,
        TimeProvider time,
        NativeReplicaWiring? native = null)
    {
        var faults = new FaultInjector(time);
        faults.Configure(options.Faults);
        var quotas = new QuotaProxy(time);
        quotas.Configure(options.Quotas);
        var configuration = new ConfigurationFront(region, forwarder, dataFolder, time);
        var otherRegion = region == options.PrimaryRegion ? options.StandbyRegion : options.PrimaryRegion;
        return new FrontInterceptors
        {
            Faults = faults,
            Quotas = quotas,
            CloudTrail = options.RecordCloudTrail ? new CloudTrailRecorder(bus, emulator, region, time) : null,
            Paging = options.PageListings ? new ListPaging(forwarder, time) : null,
            MissingGroup = new MissingGroupIsNotFound(forwarder),
            DuplicateGroup = new DuplicateGroupIsRefused(forwarder),
            Configuration = configuration,
            DisabledUsers = new DisabledUsersCannotSignIn(emulator),
            VerifiedFlag = new VerifiedFlagAlone(emulator),
            PreSignUp = new PreSignUpOnAdminCreateUser(lambda, CognitoLocal.TriggerFunction, region),
            NativeSecondary = native is null ? null : new SecondaryEndpoint(region, native.Registry, native.FrontOf),
            NativeReplicas = native is null ? null : new ReplicaOperations(region, otherRegion, native.Registry, configuration, forwarder),
        };
    }

    private static ICognitoInterceptor[] Optional(ICognitoInterceptor? interceptor) => interceptor is null ? [] : [interceptor];
}
