using IdentityReplicator.Core.Quotas;

namespace IdentityReplicator.Core.Pools;

/// <summary>
/// How far a listing of whole pools has come, for a person watching a long drift report or sweep: per pool side
/// (<c>source</c>, <c>target</c>), the users listed so far and the pool's estimated size (DescribeUserPool's
/// <c>EstimatedNumberOfUsers</c>), and the phase the run is in. Written by the listing, read by a display.
/// </summary>
public sealed class ListingProgress
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (int Listed, int? Expected)> _sides = new(StringComparer.Ordinal);
    private volatile string _phase = "starting";

    /// <summary>What the run does now (<c>listing</c>, <c>comparing</c>, <c>reading differing users</c>, <c>recording</c>).</summary>
    public string Phase => _phase;

    public void Enter(string phase) => _phase = phase;

    /// <summary>A side's estimated number of users, when known.</summary>
    public void Expect(string side, int? users)
    {
        lock (_gate)
        {
            _sides[side] = (_sides.GetValueOrDefault(side).Listed, users);
        }
    }

    /// <summary>A side's users listed so far.</summary>
    public void Listed(string side, int users)
    {
        lock (_gate)
        {
            var (listed, expected) = _sides.GetValueOrDefault(side);
            _sides[side] = (Math.Max(listed, users), expected);
        }
    }

    /// <summary>Every side so far: users listed, ListUsers pages that took (60 a page), the expected users.</summary>
    public IReadOnlyList<ListingSide> Sides
    {
        get
        {
            lock (_gate)
            {
                return [.. _sides.Select(s => new ListingSide(s.Key, s.Value.Listed, (s.Value.Listed + CognitoQuotas.ListUsersPageLimit - 1) / CognitoQuotas.ListUsersPageLimit, s.Value.Expected))];
            }
        }
    }
}

/// <summary>One side of a listing in progress.</summary>
public sealed record ListingSide(string Side, int Users, int Pages, int? Expected);
