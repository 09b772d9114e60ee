namespace IdentityReplicator.Reconciler.Drift.Recoverability;

/// <summary>
/// The facts of <paramref name="inner"/> without TOTP (<c>Drift:ReadTotpEnrolment</c> false): the target's identity
/// providers are read, no user's enrolment is (one AdminGetUser a user on a large pool), and <c>totpChecked</c> says so.
/// </summary>
internal sealed class WithoutTotpEnrolment(IRecoveryFactsReader inner) : IRecoveryFactsReader
{
    public Task<IReadOnlySet<string>?> TargetProvidersAsync(CancellationToken cancellationToken) => inner.TargetProvidersAsync(cancellationToken);

    public Task<bool?> SourceOffersTotpAsync(CancellationToken cancellationToken) => Task.FromResult<bool?>(null);

    public Task<bool> TotpEnrolledAsync(string username, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("TOTP enrolment is not read when Drift:ReadTotpEnrolment is false.");
}
