// Calls every Route 53, RDS, SSM and CloudWatch operation IdentityReplicator uses, with the official AWS SDK for JavaScript v3,
// against the sandbox's local endpoints, and prints one JSON line with what the SDK parsed from each reply.
// Input: one JSON object on the command line (endpoints, Regions and the resources to call).
import { Route53Client, GetHostedZoneCommand, ListResourceRecordSetsCommand, ChangeResourceRecordSetsCommand, GetChangeCommand, GetHealthCheckStatusCommand } from '@aws-sdk/client-route-53';
import { RDSClient, DescribeDBClustersCommand, DescribeDBInstancesCommand, DescribeGlobalClustersCommand, SwitchoverGlobalClusterCommand, FailoverGlobalClusterCommand, PromoteReadReplicaDBClusterCommand, PromoteReadReplicaCommand } from '@aws-sdk/client-rds';
import { SSMClient, PutParameterCommand, GetParameterCommand, GetParametersCommand } from '@aws-sdk/client-ssm';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';

const input = JSON.parse(process.argv[2]);
const credentials = { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' };
const common = { credentials, maxAttempts: 1 };
const route53 = new Route53Client({ ...common, region: 'us-east-1', endpoint: input.route53 });
const rds = new RDSClient({ ...common, region: input.region, endpoint: input.rds });
const ssm = new SSMClient({ ...common, region: input.region, endpoint: input.ssm });
const cloudwatch = new CloudWatchClient({ ...common, region: input.region, endpoint: input.cloudwatch });

const out = {};
async function call(name, fn) {
  try {
    out[name] = await fn();
  } catch (e) {
    out[name] = { error: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
}
const strip = (reply) => { const { $metadata, ...rest } = reply; return rest; };

for (const step of input.sequence) {
  switch (step) {
    case 'GetHostedZone':
      await call(step, async () => strip(await route53.send(new GetHostedZoneCommand({ Id: input.zoneId }))));
      break;
    case 'ListResourceRecordSets':
      await call(step, async () => strip(await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: input.zoneId, StartRecordName: input.recordName, StartRecordType: 'CNAME', MaxItems: 10 }))));
      break;
    case 'ChangeResourceRecordSets':
      await call(step, async () => strip(await route53.send(new ChangeResourceRecordSetsCommand({
        HostedZoneId: input.zoneId,
        ChangeBatch: {
          Comment: input.comment,
          Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: input.recordName, Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: input.recordValue }] } },
                    { Action: 'UPSERT', ResourceRecordSet: { Name: input.weightedName, Type: 'A', SetIdentifier: 'east', Weight: 100, TTL: 30, ResourceRecords: [{ Value: '192.0.2.10' }, { Value: '192.0.2.11' }], HealthCheckId: input.healthCheckId } }],
        },
      }))));
      break;
    case 'GetChange':
      await call(step, async () => strip(await route53.send(new GetChangeCommand({ Id: input.changeId ?? out.ChangeResourceRecordSets?.ChangeInfo?.Id }))));
      break;
    case 'GetHealthCheckStatus':
      await call(step, async () => strip(await route53.send(new GetHealthCheckStatusCommand({ HealthCheckId: input.healthCheckId }))));
      break;
    case 'DescribeDBClusters':
      await call(step, async () => strip(await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: input.clusterId }))));
      break;
    case 'DescribeDBInstances':
      await call(step, async () => strip(await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: input.replicaInstanceId }))));
      break;
    case 'DescribeGlobalClusters':
      await call(step, async () => strip(await rds.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: input.globalClusterId }))));
      break;
    case 'SwitchoverGlobalCluster':
      await call(step, async () => strip(await rds.send(new SwitchoverGlobalClusterCommand({ GlobalClusterIdentifier: input.globalClusterId, TargetDbClusterIdentifier: input.targetClusterArn }))));
      break;
    case 'FailoverGlobalCluster':
      await call(step, async () => strip(await rds.send(new FailoverGlobalClusterCommand({ GlobalClusterIdentifier: input.globalClusterId, TargetDbClusterIdentifier: input.targetClusterArn, AllowDataLoss: true }))));
      break;
    case 'PromoteReadReplicaDBCluster':
      await call(step, async () => strip(await rds.send(new PromoteReadReplicaDBClusterCommand({ DBClusterIdentifier: input.replicaClusterId }))));
      break;
    case 'PromoteReadReplica':
      await call(step, async () => strip(await rds.send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: input.replicaInstanceId }))));
      break;
    case 'PutParameter':
      await call(step, async () => strip(await ssm.send(new PutParameterCommand({ Name: input.parameterName, Value: input.parameterValue, Type: 'String', Overwrite: true }))));
      break;
    case 'GetParameter':
      await call(step, async () => strip(await ssm.send(new GetParameterCommand({ Name: input.parameterName }))));
      break;
    case 'GetParameters':
      await call(step, async () => strip(await ssm.send(new GetParametersCommand({ Names: [input.parameterName, input.missingParameterName], WithDecryption: true }))));
      break;
    case 'GetMetricStatistics':
      await call(step, async () => strip(await cloudwatch.send(new GetMetricStatisticsCommand({
        Namespace: 'AWS/RDS',
        MetricName: 'AuroraGlobalDBReplicationLag',
        Dimensions: [{ Name: 'DBClusterIdentifier', Value: input.clusterId }],
        StartTime: new Date(input.startTime * 1000),
        EndTime: new Date(input.endTime * 1000),
        Period: 60,
        Statistics: ['Maximum'],
      }))));
      break;
    default:
      out[step] = { error: 'UnknownStep' };
  }
}

process.stdout.write(JSON.stringify(out, (key, value) => (value instanceof Date ? value.toISOString() : value)) + '\n');
