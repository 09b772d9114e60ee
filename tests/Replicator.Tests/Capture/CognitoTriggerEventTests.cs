using System.Text.Json.Nodes;
using IdentityReplicator.Replicator.Capture;

namespace IdentityReplicator.Replicator.Tests.Capture;

public sealed class CognitoTriggerEventTests
{
    [Fact]
    public void Parse_PostConfirmation_ReadsSourcePoolUserAndAttributes()
    {
        var trigger = CognitoTriggerEvent.Parse(TriggerEvents.PostConfirmation(), out var problem);

        Assert.Null(problem);
        Assert.NotNull(trigger);
        Assert.Equal("PostConfirmation_ConfirmSignUp", trigger.TriggerSource);
        Assert.Equal(TriggerEvents.PrimaryPool, trigger.UserPoolId);
        Assert.Equal("alice", trigger.UserName);
        Assert.Equal("pro", trigger.UserAttributes["custom:tier"]);
        Assert.Null(trigger.Groups);
    }

    [Fact]
    public void Parse_TokenGeneration_ReadsGroupsInCanonicalOrder()
    {
        var trigger = CognitoTriggerEvent.Parse(TriggerEvents.TokenGeneration(), out _);

        Assert.Equal(["admins", "editors"], trigger!.Groups!.Value.ToArray());
    }

    [Fact]
    public void Parse_NullAttributeValues_AreLeftOut()
    {
        var @event = TriggerEvents.PostConfirmation();
        @event["request"]!["userAttributes"]!["phone_number"] = null;

        var trigger = CognitoTriggerEvent.Parse(@event, out _);

        Assert.False(trigger!.UserAttributes.ContainsKey("phone_number"));
    }

    [Theory]
    [InlineData("[]", "not a JSON object")]
    [InlineData("{\"userPoolId\":\"p\",\"userName\":\"u\"}", "triggerSource")]
    [InlineData("{\"triggerSource\":\"PostConfirmation_ConfirmSignUp\",\"userName\":\"u\"}", "userPoolId")]
    public void Parse_UnusableEvent_ReturnsNullAndSaysWhy(string json, string expectedInProblem)
    {
        var trigger = CognitoTriggerEvent.Parse(JsonNode.Parse(json), out var problem);

        Assert.Null(trigger);
        Assert.Contains(expectedInProblem, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"x\"")]
    [InlineData("[1, 2]")]
    [InlineData("42")]
    [InlineData("{\"userAttributes\":\"x\",\"groupConfiguration\":[]}")]
    [InlineData("{\"userAttributes\":{\"email\":{\"nested\":true}},\"groupConfiguration\":{\"groupsToOverride\":\"admins\"}}")]
    public void Parse_RequestOfTheWrongShape_ReadsNoAttributesInsteadOfThrowing(string request)
    {
        var @event = TriggerEvents.TokenGeneration();
        @event["request"] = JsonNode.Parse(request);

        var trigger = CognitoTriggerEvent.Parse(@event, out var problem);

        Assert.Null(problem);
        Assert.NotNull(trigger);
        Assert.Empty(trigger.UserAttributes);
        Assert.Null(trigger.Groups);
    }

    [Fact]
    public void Parse_UserNameLongerThanCognitoAllows_ReturnsNullAndSaysWhy()
    {
        var trigger = CognitoTriggerEvent.Parse(TriggerEvents.PostConfirmation(userName: new string('a', 129)), out var problem);

        Assert.Null(trigger);
        Assert.Contains("userName", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a pool id")]
    [InlineData("us-east-1_Primary01us-east-1_Primary01us-east-1_Primary01")]
    public void Parse_UserPoolIdThatIsNoPoolId_ReturnsNullAndSaysWhy(string pool)
    {
        var trigger = CognitoTriggerEvent.Parse(TriggerEvents.PostConfirmation(pool: pool), out var problem);

        Assert.Null(trigger);
        Assert.Contains("userPoolId", problem, StringComparison.Ordinal);
    }
}
