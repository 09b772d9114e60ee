// Calls every Secrets Manager and KMS operation failover preflight uses on replicated stores, with the official AWS SDK
// for JavaScript v3, against the sandbox's local endpoints, and prints one JSON line with what the SDK parsed from each
// reply (or the error it raised). Input: one JSON object on the command line (endpoints, Regions, secret and key).
import { SecretsManagerClient, DescribeSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { KMSClient, DescribeKeyCommand, ListAliasesCommand } from '@aws-sdk/client-kms';

const input = JSON.parse(process.argv[2]);
const common = { credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' }, maxAttempts: 1 };
const secrets = (region) => new SecretsManagerClient({ ...common, region, endpoint: input.secretsmanager });
const kms = (region) => new KMSClient({ ...common, region, endpoint: input.kms });

const out = {};
async function call(name, fn) {
  try {
    const { $metadata, ...rest } = await fn();
    out[name] = rest;
  } catch (e) {
    out[name] = { error: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
}
const dates = (value) => JSON.parse(JSON.stringify(value, (k, v) => (v instanceof Date ? `date:${v.getTime()}` : v)));

await call('DescribeSecret', async () => dates(await secrets(input.primary).send(new DescribeSecretCommand({ SecretId: input.secret }))));
await call('DescribeSecretInReplica', async () => dates(await secrets(input.standby).send(new DescribeSecretCommand({ SecretId: input.secret }))));
await call('GetSecretValue', async () => dates(await secrets(input.standby).send(new GetSecretValueCommand({ SecretId: input.secret }))));
await call('DescribeSecretMissing', async () => await secrets(input.primary).send(new DescribeSecretCommand({ SecretId: 'no-such-secret' })));
await call('DescribeKey', async () => dates(await kms(input.primary).send(new DescribeKeyCommand({ KeyId: input.alias }))));
await call('DescribeKeyInReplica', async () => dates(await kms(input.standby).send(new DescribeKeyCommand({ KeyId: input.keyId }))));
await call('ListAliases', async () => dates(await kms(input.standby).send(new ListAliasesCommand({}))));
await call('DescribeKeyMissing', async () => await kms(input.primary).send(new DescribeKeyCommand({ KeyId: 'alias/no-such-key' })));
process.stdout.write(JSON.stringify(out) + '\n');
