using System.Text.Json.Nodes;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Replicator.Capture;

/// <summary>
/// The Cognito trigger handler. It records what the event says about the user (or, where the user does not exist
/// yet, a hint to read it) and always hands the event back unchanged, within <see cref="CaptureOptions.TriggerBudget"/>:
/// replication must never fail or delay a sign-up or sign-in. Failures are logged without personal data,
/// counted, and left to the sweep and drift repair. It records only events of the control's writable source pool
/// (without a <paramref name="controlReader"/>, of <see cref="CaptureOptions.PrimaryPoolId"/>).
/// </summary>
public sealed class TriggerCapture(
    IMirrorStore mirror,
    ICaptureHintQueue hints,
    CaptureOptions options,
    TimeProvider time,
    ILogger<TriggerCapture> logger,
    ReplicationControlReader? controlReader = null)
{
    /// <summary>
    /// Handles one invocation. Never throws, whatever the event holds; returns <paramref name="event"/> itself. Everything
    /// it does, reading the replication control included, ends within one <see cref="CaptureOptions.TriggerBudget"/>.
    /// </summary>
    public async Task<JsonNode?> HandleAsync(JsonNode? @event, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var budget = new CancellationTokenSource(options.TriggerBudget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        CognitoTriggerEvent? trigger;
        try
        {
            trigger = CognitoTriggerEvent.Parse(@event, out var problem);
            if (trigger is null)
            {
                Malformed(problem ?? "unknown");
                return @event;
            }

            if (Classify(trigger.TriggerSource) == TriggerAction.Observe && string.IsNullOrEmpty(trigger.UserAttributes.GetValueOrDefault("sub")))
            {
                // Cognito sends confirmation, authentication and token events with the user's attributes, sub included.
                // Recorded without them, the event would blank a real user's attributes in the target, or invent a user.
                Malformed("the event has no request.userAttributes with a sub, which Cognito sends with this trigger");
                return @event;
            }
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // A node built without InvocationPayload's checks: duplicate keys or text that is not valid Unicode.
            Malformed($"a part of the event cannot be read ({e.GetType().Name})", e);
            return @event;
        }

        var user = IdentityKeys.Fingerprint(trigger.UserName);
        Task<string>? work = null;
        try
        {
            if (!await IsCapturedAsync(trigger.UserPoolId, linked.Token))
            {
                Log.TriggerFromOtherPool(logger, trigger.TriggerSource, trigger.UserPoolId);
                return @event;
            }

            work = RecordAsync(trigger, linked.Token);
            var outcome = await work.WaitAsync(linked.Token);
            Log.TriggerRecorded(logger, trigger.TriggerSource, user, outcome, time.GetElapsedTime(started).TotalMilliseconds);
            ReplicationMetrics.Captured.Add(1, new("source", "trigger"), new("outcome", outcome));
        }
        catch (Exception e)
        {
            // Deliberately broad: nothing may reach Cognito from here. The change is repaired later.
            await linked.CancelAsync();
            _ = work?.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            Log.TriggerCaptureFailed(logger, trigger.TriggerSource, user, Reasons.Of(e), time.GetElapsedTime(started).TotalMilliseconds);
            Log.TriggerCaptureFailedDetail(logger, trigger.TriggerSource, user, e);
            ReplicationMetrics.CaptureFailed.Add(1, new("trigger", trigger.TriggerSource), new("reason", e is TimeoutException or OperationCanceledException ? "budget" : "error"));
        }

        return @event;
    }

    private void Malformed(string problem, Exception? cause = null)
    {
        Log.TriggerMalformed(logger, problem);
        if (cause is not null)
        {
            Log.TriggerMalformedDetail(logger, cause);
        }

        ReplicationMetrics.CaptureFailed.Add(1, new("trigger", "unknown"), new("reason", "malformed"));
    }

    /// <summary>Whether events of this pool are captured now. Reading the control costs at most half the budget.</summary>
    private async Task<bool> IsCapturedAsync(string poolId, CancellationToken cancellationToken)
    {
        if (controlReader is null)
        {
            return string.Equals(poolId, options.PrimaryPoolId, StringComparison.Ordinal);
        }

        ReplicationControl control;
        using var half = new CancellationTokenSource(options.TriggerBudget / 2, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, half.Token);
        try
        {
            control = await controlReader.CurrentAsync(linked.Token).AsTask().WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            control = controlReader.Known;
        }

        return control.MayRecord(poolId);
    }

    private async Task<string> RecordAsync(CognitoTriggerEvent trigger, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        switch (Classify(trigger.TriggerSource))
        {
            case TriggerAction.Hint:
                await hints.EnqueueAsync(
                    new CaptureHint
                    {
                        Username = trigger.UserName,
                        SourcePoolId = trigger.UserPoolId,
                        Source = CaptureSource.Trigger,
                        FirstSeen = now,
                        Due = now,
                    },
                    cancellationToken);
                return "hinted";

            case TriggerAction.Observe:
                var outcome = await mirror.RecordUserAsync(Observe(trigger, now), cancellationToken);
                return outcome.ToString().ToLowerInvariant();

            default:
                return "ignored";
        }
    }

    private UserObservation Observe(CognitoTriggerEvent trigger, DateTimeOffset now)
    {
        var attributes = trigger.UserAttributes;
        var status = attributes.TryGetValue("cognito:user_status", out var reported) && !string.IsNullOrEmpty(reported)
            ? reported
            : attributes.ContainsKey("identities") ? UserStatuses.ExternalProvider : UserStatuses.Confirmed;
        return new UserObservation
        {
            Key = IdentityKeys.ForUsername(trigger.UserName, options.UsernamesCaseSensitive),
            Username = trigger.UserName,
            Sub = attributes.TryGetValue("sub", out var sub) ? sub : null,
            SourcePoolId = trigger.UserPoolId,
            ObservedAt = now,
            Source = CaptureSource.Trigger,

            // Confirmation, authentication and token issue happen only to enabled users.
            Profile = new UserProfile(attributes, enabled: true, status),
            Groups = trigger.Groups,
        };
    }

    internal static TriggerAction Classify(string triggerSource) => triggerSource switch
    {
        // The user does not exist yet (and creation may still fail), or is mid-change: read it once it settles.
        "PreSignUp_AdminCreateUser" or "CustomMessage_AdminCreateUser" or "CustomMessage_UpdateUserAttribute"
            or "CustomMessage_VerifyUserAttribute" or "UserMigration_Authentication" or "UserMigration_ForgotPassword" => TriggerAction.Hint,

        // A self sign-up is unconfirmed (not replicated) until PostConfirmation, which carries its attributes;
        // federated users are re-created by their identity provider. Nothing to do for these.
        _ when triggerSource.StartsWith("PreSignUp_", StringComparison.Ordinal) => TriggerAction.Ignore,

        // The event carries the user's current attributes.
        _ when triggerSource.StartsWith("PostConfirmation_", StringComparison.Ordinal)
            || triggerSource.StartsWith("PostAuthentication_", StringComparison.Ordinal)
            || triggerSource.StartsWith("TokenGeneration_", StringComparison.Ordinal) => TriggerAction.Observe,
        _ => TriggerAction.Ignore,
    };

    internal enum TriggerAction
    {
        Ignore,
        Hint,
        Observe,
    }
}
