using System.Collections.Immutable;
using IdentityReplicator.Failover.Journeys;

namespace IdentityReplicator.Failover.Plans;

public static partial class PlanReader
{
    /// <summary>The <c>journeys:</c> section (<see cref="JourneysPlan"/>).</summary>
    private sealed partial class Rules
    {
        private JourneysPlan Journeys(YamlTreeNode? node, string path, bool hasSignIn)
        {
            var o = node is null ? null : b.Mapping(node, path, "disabledUser", "groups", "primarySubClaim", "callbackUrls", "machineClients", "relayEndpoint");
            if (o is null)
            {
                return new JourneysPlan();
            }

            var groups = o["groups"] is null ? [] : b.Strings(o["groups"], $"{path}.groups");
            var claim = b.String(o, "primarySubClaim", path, false, null);
            if ((!groups.IsDefaultOrEmpty || claim is not null) && !hasSignIn)
            {
                b.Problem(o.At, "signIn", $"{path}.groups and {path}.primarySubClaim check the signIn user's ID token, but the plan has no signIn; add 'signIn: {{ username: … }}'.");
            }

            var callbacks = ImmutableArray.CreateBuilder<Uri>();
            foreach (var (value, at, itemPath) in b.StringItems(o["callbackUrls"], $"{path}.callbackUrls"))
            {
                if (Uri.TryCreate(value, UriKind.Absolute, out var uri))
                {
                    callbacks.Add(uri);
                }
                else
                {
                    b.Problem(at, itemPath, $"{itemPath} is '{YamlTreeReader.Shorten(value)}'; it must be an absolute URL as the app client lists it, e.g. 'https://app.example.com/callback' or 'myapp://callback'.");
                }
            }

            var clients = ImmutableArray.CreateBuilder<MachineClientPlan>();
            foreach (var (item, itemPath) in b.Items(o["machineClients"], $"{path}.machineClients"))
            {
                var c = b.Mapping(item, itemPath, "name", "scopes", "primaryClientId");
                if (c is null)
                {
                    continue;
                }

                var name = b.String(c, "name", itemPath, true, "the confidential app client's name (the same in both pools)");
                var scopes = c["scopes"] is null ? [] : b.Strings(c["scopes"], $"{itemPath}.scopes");
                if (name is not null)
                {
                    clients.Add(new MachineClientPlan(name, scopes.IsDefault ? [] : scopes, b.String(c, "primaryClientId", itemPath, false, null)));
                }
            }

            var relay = b.Url(o, "relayEndpoint", path);
            if (relay is not null && clients.Count == 0)
            {
                b.Problem(o["relayEndpoint"]!.At, $"{path}.relayEndpoint", $"{path}.relayEndpoint is checked with the clients of {path}.machineClients, and there are none; list at least one.");
            }

            return new JourneysPlan
            {
                DisabledUser = b.String(o, "disabledUser", path, false, null),
                Groups = groups.IsDefault ? [] : groups,
                PrimarySubClaim = claim,
                CallbackUrls = callbacks.ToImmutable(),
                MachineClients = clients.ToImmutable(),
                RelayEndpoint = relay,
            };
        }
    }
}
