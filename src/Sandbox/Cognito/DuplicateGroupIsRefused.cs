using System.Text.Json.Nodes;
using IdentityReplicator.Sandbox.Proxy;

namespace IdentityReplicator.Sandbox.Cognito;

/// <summary>
/// Real Cognito refuses a <c>CreateGroup</c> for a name the pool already has with <c>GroupExistsException</c>;
/// cognito-local 5.3.0 overwrites the group — and its member list with it, so every member silently leaves. The apply
/// engine relies on Cognito's answer: it creates a group a user joins when the target lacks it, and on
/// <c>GroupExistsException</c> updates it instead, while the group's own snapshot may be creating it at the same moment.
/// On the emulator the second create emptied the group (the demo lost a membership in the standby). This interceptor
/// answers <c>CreateGroup</c> itself: it looks the group up and creates it only when absent, one create at a time per
/// pool, so two creates racing for one name cannot both reach the emulator.
/// </summary>
internal sealed class DuplicateGroupIsRefused(EmulatorForwarder emulator) : ICognitoInterceptor
{
    // Never exposes a wait handle, so it needs no disposing: it lives as long as the front.
    private readonly SemaphoreSlim _creating = new(1, 1);

    public async ValueTask<FrontReply?> BeforeAsync(FrontCall call, CancellationToken cancellationToken)
    {
        if (call.Operation != "CreateGroup" || call.Body?["GroupName"] is not JsonValue name || !name.TryGetValue<string>(out var groupName))
        {
            return null;
        }

        await _creating.WaitAsync(cancellationToken);
        try
        {
            var lookup = new JsonObject { ["GroupName"] = groupName, ["UserPoolId"] = call.UserPoolId };
            var existing = await emulator.SendAsync("GetGroup", lookup, cancellationToken);
            return existing.IsSuccess
                ? FrontReply.Error(400, "GroupExistsException", $"A group with the name {groupName} already exists.")
                : await emulator.SendAsync(call.Operation, call.Body, cancellationToken);
        }
        finally
        {
            _creating.Release();
        }
    }

    public ValueTask AfterAsync(FrontCall call, FrontReply reply, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
