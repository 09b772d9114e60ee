namespace IdentityReplicator.Failover.Tests.Native;

/// <summary>A plan in native mode: the standby is the primary's Cognito native replica (the same pool id in us-west-2).</summary>
internal static class NativeFakes
{
    public const string PoolId = "us-east-1_Native1";

    public const string PlanText = """
        version: 1
        environment: test
        drill: true
        cognito: { mode: native }
        pools:
          primary: { region: us-east-1, userPoolId: us-east-1_Native1, appClientId: client-app }
          standby: { region: us-west-2, userPoolId: us-east-1_Native1, appClientId: client-app }
        mirror: { tableName: mirror-test }
        clientConfig:
          parameters:
            - name: /app/cognito-region
              values: { primary: us-east-1, standby: us-west-2 }
        dns:
          hostedZoneId: Z123
          records:
            - name: auth.example.com.
              type: CNAME
              ttl: 60
              values: { primary: east.example.com, standby: west.example.com }
        signIn: { username: monitor@example.com }
        preflight: { driftSample: 0, maxReplicationLag: 300ms }
        timeouts: { pollInterval: 1ms, drain: 5s, promotion: 5s, dnsSync: 5s, verify: 5s, capacity: 5s }
        """;
}
