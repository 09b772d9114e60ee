// Drives every configuration operation the sandbox's Cognito front serves itself, and the local Secrets Manager, with
// the official AWS SDK for JavaScript v3, and prints one JSON line: what the SDK parsed from each reply (or the error it
// raised), and every place where a raw reply strays from the API model: a member the v3 model does not have, or a
// value of the wrong type for the v3 model or (where it has the operation and the member) the aws-sdk v2 model.
// Members the v2 model is too old to know are listed apart (newerThanV2).
// Input: one JSON object on the command line: { cognito, secretsManager, region, suffix, v2Model }.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import * as cognito from '@aws-sdk/client-cognito-identity-provider';
import * as secrets from '@aws-sdk/client-secrets-manager';
import { NodeHttpHandler } from '@smithy/node-http-handler';

const input = JSON.parse(process.argv[2]);
const v2 = input.v2Model ? JSON.parse(fs.readFileSync(input.v2Model, 'utf8')) : null;
const out = { steps: {}, violations: [], newerThanV2: [] };

// Keeps each raw reply body (the SDK then parses a copy), so it can be checked against the models.
class CapturingHandler {
  constructor() { this.inner = new NodeHttpHandler(); this.last = ''; }
  async handle(request, options) {
    const result = await this.inner.handle(request, options);
    const chunks = [];
    for await (const chunk of result.response.body) chunks.push(chunk);
    const buffer = Buffer.concat(chunks);
    this.last = buffer.toString('utf8');
    result.response.body = Readable.from([buffer]);
    return result;
  }
  updateHttpClientConfig(key, value) { this.inner.updateHttpClientConfig(key, value); }
  httpHandlerConfigs() { return this.inner.httpHandlerConfigs(); }
  destroy() { this.inner.destroy(); }
}

const common = { region: input.region, credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' }, maxAttempts: 1 };
const idpHandler = new CapturingHandler();
const smHandler = new CapturingHandler();
const idp = new cognito.CognitoIdentityProviderClient({ ...common, endpoint: input.cognito, requestHandler: idpHandler });
const sm = new secrets.SecretsManagerClient({ ...common, endpoint: input.secretsManager, requestHandler: smHandler });

// The v3 models' schemas: [kind, namespace, name, traits, members, types] for structures; simple codes for the rest.
function norm(t) {
  if (typeof t === 'function') t = t();
  if (Array.isArray(t) && (typeof t[0] === 'function' || Array.isArray(t[0]))) t = norm(t[0]);
  return t;
}
function checkV3(value, schema, path) {
  schema = norm(schema);
  if (value === null || value === undefined) return;
  if (typeof schema === 'number') {
    if (schema & 64) return Array.isArray(value) ? value.forEach((v, i) => checkV3(v, schema & 63, `${path}[${i}]`)) : out.violations.push(`v3 ${path}: not a list`);
    if (schema & 128) return typeof value === 'object' && !Array.isArray(value) ? Object.entries(value).forEach(([k, v]) => checkV3(v, schema & 63, `${path}.${k}`)) : out.violations.push(`v3 ${path}: not a map`);
    const ok = { 0: 'string', 1: 'number', 2: 'boolean', 4: 'number', 5: 'number', 7: 'number', 21: 'string' }[schema];
    if (schema !== 15 && ok && typeof value !== ok) out.violations.push(`v3 ${path}: ${typeof value}, not ${ok}`);
    return;
  }
  const [kind] = schema;
  if (kind === 0) return checkV3(value, schema[4], path);
  if (kind === 1) return Array.isArray(value) ? value.forEach((v, i) => checkV3(v, schema[4], `${path}[${i}]`)) : out.violations.push(`v3 ${path}: not a list`);
  if (kind === 2) return typeof value === 'object' ? Object.entries(value).forEach(([k, v]) => checkV3(v, schema[5] ?? schema[4], `${path}.${k}`)) : out.violations.push(`v3 ${path}: not a map`);
  if (kind === 3) {
    if (typeof value !== 'object' || Array.isArray(value)) return out.violations.push(`v3 ${path}: not a structure`);
    const members = schema[4];
    for (const [k, v] of Object.entries(value)) {
      const i = members.indexOf(k);
      if (i < 0) out.violations.push(`v3 ${path}.${k}: not a member of ${schema[2]}`);
      else checkV3(v, schema[5][i], `${path}.${k}`);
    }
  }
}
function checkV2(value, ref, path) {
  if (value === null || value === undefined) return;
  const shape = ref.shape ? v2.shapes[ref.shape] : ref;
  const type = shape.type ?? 'string';
  if (type === 'structure') {
    if (typeof value !== 'object' || Array.isArray(value)) return out.violations.push(`v2 ${path}: not a structure`);
    for (const [k, v] of Object.entries(value)) {
      // A member the v2 model does not know is newer than it (the v3 check above decides whether it exists).
      if (!shape.members?.[k]) out.newerThanV2.push(`${path}.${k}`.replace('(v2)', ''));
      else checkV2(v, shape.members[k], `${path}.${k}`);
    }
  } else if (type === 'list') {
    if (!Array.isArray(value)) return out.violations.push(`v2 ${path}: not a list`);
    value.forEach((v, i) => checkV2(v, shape.member, `${path}[${i}]`));
  } else if (type === 'map') {
    Object.entries(value).forEach(([k, v]) => checkV2(v, shape.value, `${path}.${k}`));
  } else {
    const expected = { integer: 'number', long: 'number', timestamp: 'number', boolean: 'boolean', string: 'string', blob: 'string' }[type];
    if (expected && typeof value !== expected) out.violations.push(`v2 ${path}: ${typeof value}, not ${expected}`);
  }
}
function checkRaw(service, operation, raw) {
  const body = raw.length ? JSON.parse(raw) : {};
  const module = service === 'idp' ? cognito : secrets;
  const op = module[operation + '$'];
  if (!op) return out.violations.push(`${operation}: not in the v3 model`);
  checkV3(body, op[5], operation);
  if (service === 'idp' && v2?.operations[operation]) checkV2(body, v2.operations[operation].output ?? { type: 'structure', members: {} }, operation + '(v2)');
}

const strip = (reply) => { const { $metadata, ...rest } = reply; return rest; };
async function call(name, client, handler, service, operation, params) {
  try {
    const reply = await client.send(new (service === 'idp' ? cognito : secrets)[operation + 'Command'](params));
    checkRaw(service, operation, handler.last);
    out.steps[name] = strip(reply);
  } catch (e) {
    out.steps[name] = { error: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  return out.steps[name];
}
const run = (name, operation, params) => call(name, idp, idpHandler, 'idp', operation, params);

const s = input.suffix;
const pool = await run('CreateUserPool', 'CreateUserPool', { PoolName: `conformance-${s}` });
const UserPoolId = pool.UserPool.Id;
const server = `api-${s}`;
await run('CreateResourceServer', 'CreateResourceServer', { UserPoolId, Identifier: server, Name: 'api', Scopes: [{ ScopeName: 'read', ScopeDescription: 'Read' }] });
await run('DescribeResourceServer', 'DescribeResourceServer', { UserPoolId, Identifier: server });
await run('UpdateResourceServer', 'UpdateResourceServer', { UserPoolId, Identifier: server, Name: 'api', Scopes: [{ ScopeName: 'read', ScopeDescription: 'Read' }, { ScopeName: 'write', ScopeDescription: 'Write' }] });
await run('ListResourceServers', 'ListResourceServers', { UserPoolId, MaxResults: 10 });
await run('CreateIdentityProvider', 'CreateIdentityProvider', {
  UserPoolId, ProviderName: `Oidc${s}`, ProviderType: 'OIDC',
  ProviderDetails: { client_id: 'corp-client', client_secret: input.idpSecret, authorize_scopes: 'openid email', oidc_issuer: 'https://issuer.example.com', attributes_request_method: 'GET' },
  AttributeMapping: { email: 'email' }, IdpIdentifiers: [`corp${s}`],
});
await run('CreateSamlProvider', 'CreateIdentityProvider', { UserPoolId, ProviderName: `Saml${s}`, ProviderType: 'SAML', ProviderDetails: { MetadataURL: 'https://idp.example.com/metadata.xml' } });
await run('DescribeIdentityProvider', 'DescribeIdentityProvider', { UserPoolId, ProviderName: `Oidc${s}` });
await run('UpdateIdentityProvider', 'UpdateIdentityProvider', { UserPoolId, ProviderName: `Oidc${s}`, AttributeMapping: { email: 'email', name: 'name' } });
await run('ListIdentityProviders', 'ListIdentityProviders', { UserPoolId, MaxResults: 10 });
await run('GetIdentityProviderByIdentifier', 'GetIdentityProviderByIdentifier', { UserPoolId, IdpIdentifier: `corp${s}` });
await run('DuplicateIdentityProvider', 'CreateIdentityProvider', { UserPoolId, ProviderName: `Saml${s}`, ProviderType: 'SAML', ProviderDetails: { MetadataURL: 'https://idp.example.com/metadata.xml' } });

const settings = {
  RefreshTokenValidity: 10, AccessTokenValidity: 30, IdTokenValidity: 2,
  TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'hours', RefreshToken: 'days' },
  ReadAttributes: ['email', 'name'], WriteAttributes: ['name'], ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  SupportedIdentityProviders: ['COGNITO', `Oidc${s}`], CallbackURLs: ['https://app.example.com/callback'], LogoutURLs: ['https://app.example.com/signed-out'],
  DefaultRedirectURI: 'https://app.example.com/callback', AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid', 'email', `${server}/read`],
  AllowedOAuthFlowsUserPoolClient: true, PreventUserExistenceErrors: 'ENABLED', EnableTokenRevocation: true,
  EnablePropagateAdditionalUserContextData: true, AuthSessionValidity: 5, RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 },
  AnalyticsConfiguration: { ApplicationId: 'app-1', RoleArn: 'arn:aws:iam::000000000000:role/analytics', ExternalId: 'ext', UserDataShared: false },
};
const created = await run('CreateUserPoolClient', 'CreateUserPoolClient', { UserPoolId, ClientName: `web-${s}`, GenerateSecret: true, ...settings });
const ClientId = created.UserPoolClient?.ClientId;
out.settings = settings;
await run('DescribeUserPoolClient', 'DescribeUserPoolClient', { UserPoolId, ClientId });
await run('UpdateUserPoolClient', 'UpdateUserPoolClient', { UserPoolId, ClientId, ClientName: `web-${s}`, ...settings, CallbackURLs: ['https://app.example.com/callback', 'https://app.example.com/v2/callback'] });
await run('ListUserPoolClients', 'ListUserPoolClients', { UserPoolId, MaxResults: 60 });
const added = await run('AddUserPoolClientSecret', 'AddUserPoolClientSecret', { UserPoolId, ClientId });
await run('ThirdClientSecret', 'AddUserPoolClientSecret', { UserPoolId, ClientId, ClientSecret: input.customSecret });
await run('ListUserPoolClientSecrets', 'ListUserPoolClientSecrets', { UserPoolId, ClientId });
await run('DeleteUserPoolClientSecret', 'DeleteUserPoolClientSecret', { UserPoolId, ClientId, ClientSecretId: added.ClientSecretDescriptor?.ClientSecretId });
await run('AddCustomClientSecret', 'AddUserPoolClientSecret', { UserPoolId, ClientId, ClientSecret: input.customSecret });

const published = await run('CreatePublishedClient', 'CreateUserPoolClient', { UserPoolId, ClientName: `m2m-${s}`, GenerateSecret: true, PublishSecretsInAWSSecretsManager: true });
const m2m = await run('DescribePublishedClient', 'DescribeUserPoolClient', { UserPoolId, ClientId: published.UserPoolClient?.ClientId });
const SecretId = m2m.UserPoolClient?.ClientSecretArn;
await call('GetSecretValue', sm, smHandler, 'sm', 'GetSecretValue', { SecretId });
await call('DescribeSecret', sm, smHandler, 'sm', 'DescribeSecret', { SecretId });
await call('MissingSecret', sm, smHandler, 'sm', 'GetSecretValue', { SecretId: `${SecretId}-missing` });

const Domain = `sbx-${s}`;
await run('CreateUserPoolDomain', 'CreateUserPoolDomain', { UserPoolId, Domain });
await run('DescribeUserPoolDomain', 'DescribeUserPoolDomain', { Domain });
await run('UpdateUserPoolDomain', 'UpdateUserPoolDomain', { UserPoolId, Domain, ManagedLoginVersion: 2 });
await run('DescribeMissingDomain', 'DescribeUserPoolDomain', { Domain: `none-${s}` });
const image = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
await run('SetUICustomization', 'SetUICustomization', { UserPoolId, CSS: '.banner-customizable { background-color: navy; }', ImageFile: image });
await run('GetUICustomization', 'GetUICustomization', { UserPoolId, ClientId });

const branding = await run('CreateManagedLoginBranding', 'CreateManagedLoginBranding', {
  UserPoolId, ClientId, Settings: { components: { pageBackground: { lightMode: { color: '0000ffff' } } } },
  Assets: [{ Category: 'PAGE_HEADER_LOGO', ColorMode: 'LIGHT', Extension: 'PNG', Bytes: image }],
});
const ManagedLoginBrandingId = branding.ManagedLoginBranding?.ManagedLoginBrandingId;
await run('DescribeManagedLoginBranding', 'DescribeManagedLoginBranding', { UserPoolId, ManagedLoginBrandingId });
await run('DescribeManagedLoginBrandingByClient', 'DescribeManagedLoginBrandingByClient', { UserPoolId, ClientId });
await run('UpdateManagedLoginBranding', 'UpdateManagedLoginBranding', { UserPoolId, ManagedLoginBrandingId, Settings: { components: { pageBackground: { lightMode: { color: 'ff0000ff' } } } } });
await run('SecondManagedLoginBranding', 'CreateManagedLoginBranding', { UserPoolId, ClientId, UseCognitoProvidedValues: true });
await run('DeleteManagedLoginBranding', 'DeleteManagedLoginBranding', { UserPoolId, ManagedLoginBrandingId });

const terms = await run('CreateTerms', 'CreateTerms', { UserPoolId, ClientId, TermsName: 'terms-of-use', TermsSource: 'LINK', Enforcement: 'NONE', Links: { 'cognito:default': 'https://app.example.com/terms' } });
const TermsId = terms.Terms?.TermsId;
await run('DescribeTerms', 'DescribeTerms', { UserPoolId, TermsId });
await run('UpdateTerms', 'UpdateTerms', { UserPoolId, TermsId, Links: { 'cognito:default': 'https://app.example.com/terms', 'cognito:spanish': 'https://app.example.com/es/terms' } });
await run('ListTerms', 'ListTerms', { UserPoolId, MaxResults: 10 });
await run('DuplicateTerms', 'CreateTerms', { UserPoolId, ClientId, TermsName: 'terms-of-use', TermsSource: 'LINK', Enforcement: 'NONE' });
await run('DeleteTerms', 'DeleteTerms', { UserPoolId, TermsId });

await run('SetUserPoolMfaConfig', 'SetUserPoolMfaConfig', { UserPoolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } });
await run('GetUserPoolMfaConfig', 'GetUserPoolMfaConfig', { UserPoolId });
const ResourceArn = pool.UserPool.Arn;
await run('TagResource', 'TagResource', { ResourceArn, Tags: { team: 'identity', env: 'sandbox' } });
await run('UntagResource', 'UntagResource', { ResourceArn, TagKeys: ['env'] });
await run('ListTagsForResource', 'ListTagsForResource', { ResourceArn });
await run('UpdateUserPool', 'UpdateUserPool', {
  UserPoolId, Policies: { PasswordPolicy: { MinimumLength: 12, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: false, TemporaryPasswordValidityDays: 3 } },
  DeletionProtection: 'ACTIVE', MfaConfiguration: 'OPTIONAL', AutoVerifiedAttributes: ['email'], UserPoolTags: { team: 'identity' },
  AdminCreateUserConfig: { AllowAdminCreateUserOnly: true }, AccountRecoverySetting: { RecoveryMechanisms: [{ Priority: 1, Name: 'verified_email' }] },
  UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] }, DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
});
await run('DescribeUserPool', 'DescribeUserPool', { UserPoolId });
await run('AddCustomAttributes', 'AddCustomAttributes', { UserPoolId, CustomAttributes: [{ Name: 'score', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '0', MaxValue: '100' } }] });
await run('DescribeUserPoolAfterAttributes', 'DescribeUserPool', { UserPoolId });
await run('MissingResourceServer', 'DescribeResourceServer', { UserPoolId, Identifier: `none-${s}` });

await run('GetEmptyLogDeliveryConfiguration', 'GetLogDeliveryConfiguration', { UserPoolId });
await run('SetLogDeliveryConfiguration', 'SetLogDeliveryConfiguration', {
  UserPoolId, LogConfigurations: [
    { LogLevel: 'ERROR', EventSource: 'userNotification', CloudWatchLogsConfiguration: { LogGroupArn: `arn:aws:logs:${input.region}:000000000000:log-group:/aws/cognito/${s}` } },
    { LogLevel: 'INFO', EventSource: 'userAuthEvents', S3Configuration: { BucketArn: `arn:aws:s3:::auth-logs-${s}` } },
  ],
});
await run('GetLogDeliveryConfiguration', 'GetLogDeliveryConfiguration', { UserPoolId });
await run('WrongLogLevel', 'SetLogDeliveryConfiguration', { UserPoolId, LogConfigurations: [{ LogLevel: 'INFO', EventSource: 'userNotification', CloudWatchLogsConfiguration: { LogGroupArn: `arn:aws:logs:${input.region}:000000000000:log-group:x` } }] });
await run('DescribeEmptyRiskConfiguration', 'DescribeRiskConfiguration', { UserPoolId });
await run('SetRiskConfiguration', 'SetRiskConfiguration', {
  UserPoolId,
  CompromisedCredentialsRiskConfiguration: { EventFilter: ['SIGN_IN', 'PASSWORD_CHANGE'], Actions: { EventAction: 'BLOCK' } },
  AccountTakeoverRiskConfiguration: {
    NotifyConfiguration: { SourceArn: `arn:aws:ses:${input.region}:000000000000:identity/example.com`, From: 'security@example.com', BlockEmail: { Subject: 'Sign-in blocked', TextBody: 'We blocked a sign-in.' } },
    Actions: { LowAction: { Notify: false, EventAction: 'NO_ACTION' }, MediumAction: { Notify: true, EventAction: 'MFA_IF_CONFIGURED' }, HighAction: { Notify: true, EventAction: 'BLOCK' } },
  },
  RiskExceptionConfiguration: { SkippedIPRangeList: ['10.0.0.0/8'] },
});
await run('SetClientRiskConfiguration', 'SetRiskConfiguration', { UserPoolId, ClientId, RiskExceptionConfiguration: { BlockedIPRangeList: ['192.0.2.0/24'] } });
await run('DescribeRiskConfiguration', 'DescribeRiskConfiguration', { UserPoolId });
await run('DescribeClientRiskConfiguration', 'DescribeRiskConfiguration', { UserPoolId, ClientId });
await run('ClearClientRiskConfiguration', 'SetRiskConfiguration', { UserPoolId, ClientId });
await run('DescribeClearedClientRiskConfiguration', 'DescribeRiskConfiguration', { UserPoolId, ClientId });
await run('WrongRiskAction', 'SetRiskConfiguration', { UserPoolId, CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'MFA_REQUIRED' } } });

await run('DeleteUserPoolDomain', 'DeleteUserPoolDomain', { UserPoolId, Domain });
await run('DeleteIdentityProvider', 'DeleteIdentityProvider', { UserPoolId, ProviderName: `Saml${s}` });
await run('DeleteResourceServer', 'DeleteResourceServer', { UserPoolId, Identifier: server });
await run('DeleteUserPoolClient', 'DeleteUserPoolClient', { UserPoolId, ClientId });

// Native multi-Region replication (the v2 model has none of these operations; the v3 model has all four).
const replicaRegion = input.standbyRegion;
await run('CreateUserPoolReplica', 'CreateUserPoolReplica', { UserPoolId, RegionName: replicaRegion });
await run('SecondReplica', 'CreateUserPoolReplica', { UserPoolId, RegionName: replicaRegion });
for (let i = 0; i < 150; i++) {
  const listed = await run('ListUserPoolReplicasCreating', 'ListUserPoolReplicas', { UserPoolId });
  if (listed.UserPoolReplicas?.some((r) => r.Role === 'SECONDARY' && r.Status === 'INACTIVE')) break;
  await new Promise((resolve) => setTimeout(resolve, 100));
}
await run('ActivateReplica', 'UpdateUserPoolReplica', { UserPoolId, RegionName: replicaRegion, Status: 'ACTIVE' });
// The replica's Regional settings, set at the secondary Region's endpoint of the same pool id.
if (input.standbyCognito) {
  const secondaryHandler = new CapturingHandler();
  const secondary = new cognito.CognitoIdentityProviderClient({ ...common, region: replicaRegion, endpoint: input.standbyCognito, requestHandler: secondaryHandler });
  const atSecondary = (name, operation, params) => call(name, secondary, secondaryHandler, 'idp', operation, params);
  const described = await atSecondary('SecondaryDescribeUserPool', 'DescribeUserPool', { UserPoolId });
  await atSecondary('SecondaryUpdateUserPool', 'UpdateUserPool', {
    UserPoolId, Policies: described.UserPool?.Policies,
    LambdaConfig: { PreSignUp: `arn:aws:lambda:${replicaRegion}:111122223333:function:pre-sign-up` },
    SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::111122223333:role/sms', SnsRegion: replicaRegion },
  });
  await atSecondary('SecondaryDescribeRegional', 'DescribeUserPool', { UserPoolId });
  await atSecondary('SecondarySetLogDelivery', 'SetLogDeliveryConfiguration', {
    UserPoolId, LogConfigurations: [{ LogLevel: 'ERROR', EventSource: 'userNotification', CloudWatchLogsConfiguration: { LogGroupArn: `arn:aws:logs:${replicaRegion}:111122223333:log-group:cognito` } }],
  });
  await atSecondary('SecondaryGetLogDelivery', 'GetLogDeliveryConfiguration', { UserPoolId });
}
await run('ListUserPoolReplicas', 'ListUserPoolReplicas', { UserPoolId });
await run('DeleteActiveReplica', 'DeleteUserPoolReplica', { UserPoolId, RegionName: replicaRegion });
await run('DeactivateReplica', 'UpdateUserPoolReplica', { UserPoolId, RegionName: replicaRegion, Status: 'INACTIVE' });
await run('DeleteUserPoolReplica', 'DeleteUserPoolReplica', { UserPoolId, RegionName: replicaRegion });
const lite = await run('CreateLitePool', 'CreateUserPool', { PoolName: `conformance-lite-${s}` });
await run('UpdateLitePool', 'UpdateUserPool', { UserPoolId: lite.UserPool.Id, UserPoolTier: 'LITE' });
await run('LiteReplica', 'CreateUserPoolReplica', { UserPoolId: lite.UserPool.Id, RegionName: replicaRegion });

out.userPoolId = UserPoolId;
process.stdout.write(JSON.stringify(out, (key, value) => (value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value)) + '\n');
