// Calls every Auto Scaling, Elastic Beanstalk and ECS operation IdentityReplicator's capacity step uses, with the official
// AWS SDK for JavaScript v3, against the sandbox's local endpoints, and prints one JSON line with what the SDK parsed
// from each reply. Input: one JSON object on the command line (endpoints, Region and the resources to call).
import { AutoScalingClient, DescribeAutoScalingGroupsCommand, UpdateAutoScalingGroupCommand, DescribeAccountLimitsCommand } from '@aws-sdk/client-auto-scaling';
import { ElasticBeanstalkClient, DescribeEnvironmentsCommand, DescribeConfigurationSettingsCommand, UpdateEnvironmentCommand, DescribeEnvironmentHealthCommand } from '@aws-sdk/client-elastic-beanstalk';
import { ECSClient, DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';

const input = JSON.parse(process.argv[2]);
const common = { credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' }, maxAttempts: 1, region: input.region };
const asg = new AutoScalingClient({ ...common, endpoint: input.autoscaling });
const eb = new ElasticBeanstalkClient({ ...common, endpoint: input.elasticbeanstalk });
const ecs = new ECSClient({ ...common, endpoint: input.ecs });

const out = {};
async function call(name, fn) {
  try {
    out[name] = await fn();
  } catch (e) {
    out[name] = { error: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
}
const strip = (reply) => { const { $metadata, ...rest } = reply; return rest; };
const asgOption = (name, value) => ({ Namespace: 'aws:autoscaling:asg', OptionName: name, Value: value });

for (const step of input.sequence) {
  switch (step) {
    case 'DescribeAutoScalingGroups':
      await call(step, async () => strip(await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [input.group] }))));
      break;
    case 'UpdateAutoScalingGroup':
      await call(step, async () => strip(await asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: input.group, MinSize: 4, DesiredCapacity: 4 }))));
      break;
    case 'DescribeAccountLimits':
      await call(step, async () => strip(await asg.send(new DescribeAccountLimitsCommand({}))));
      break;
    case 'DescribeEnvironments':
      await call(step, async () => strip(await eb.send(new DescribeEnvironmentsCommand({ ApplicationName: input.application, EnvironmentNames: [input.environment], IncludeDeleted: false }))));
      break;
    case 'DescribeConfigurationSettings':
      await call(step, async () => strip(await eb.send(new DescribeConfigurationSettingsCommand({ ApplicationName: input.application, EnvironmentName: input.environment }))));
      break;
    case 'UpdateEnvironment':
      await call(step, async () => strip(await eb.send(new UpdateEnvironmentCommand({ EnvironmentName: input.environment, OptionSettings: [asgOption('MinSize', '4'), asgOption('MaxSize', '8')] }))));
      break;
    case 'DescribeEnvironmentHealth':
      await call(step, async () => strip(await eb.send(new DescribeEnvironmentHealthCommand({ EnvironmentName: input.environment, AttributeNames: ['All'] }))));
      break;
    case 'DescribeServices':
      await call(step, async () => strip(await ecs.send(new DescribeServicesCommand({ cluster: input.cluster, services: [input.service, input.missingService] }))));
      break;
    case 'UpdateService':
      await call(step, async () => strip(await ecs.send(new UpdateServiceCommand({ cluster: input.cluster, service: input.service, desiredCount: 4 }))));
      break;
    default:
      throw new Error(`unknown step ${step}`);
  }
}
process.stdout.write(JSON.stringify(out) + '\n');
