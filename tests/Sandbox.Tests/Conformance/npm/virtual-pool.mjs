// Drives the read operations of the sandbox's virtual pool (src/Sandbox/VirtualPool) with the official AWS SDK for
// JavaScript v3, the SDK's own paginators included, and prints one JSON line: what the SDK parsed (or the error it
// raised), page counts, and every place where a raw reply strays from the API models (v3, and aws-sdk v2's).
// Input: one JSON object on the command line: { cognito, region, userPoolId, sub, v2Model }.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import * as cognito from '@aws-sdk/client-cognito-identity-provider';
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
const idp = new cognito.CognitoIdentityProviderClient({ ...common, endpoint: input.cognito, requestHandler: idpHandler });


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
  const module = cognito;
  const op = module[operation + '$'];
  if (!op) return out.violations.push(`${operation}: not in the v3 model`);
  checkV3(body, op[5], operation);
  if (service === 'idp' && v2?.operations[operation]) checkV2(body, v2.operations[operation].output ?? { type: 'structure', members: {} }, operation + '(v2)');
}

const strip = (reply) => { const { $metadata, ...rest } = reply; return rest; };
async function run(name, operation, params) {
  try {
    const reply = await idp.send(new cognito[operation + 'Command'](params));
    checkRaw('idp', operation, idpHandler.last);
    out.steps[name] = strip(reply);
  } catch (e) {
    out.steps[name] = { error: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  return out.steps[name];
}

const UserPoolId = input.userPoolId;
await run('DescribeUserPool', 'DescribeUserPool', { UserPoolId });
await run('ListUsersFirstPage', 'ListUsers', { UserPoolId, Limit: 60 });
await run('ListUsersBySub', 'ListUsers', { UserPoolId, Filter: `sub = "${input.sub}"`, Limit: 1 });
await run('ListUsersTooLarge', 'ListUsers', { UserPoolId, Limit: 61 });
await run('ListGroups', 'ListGroups', { UserPoolId, Limit: 2 });
await run('ListUsersInGroup', 'ListUsersInGroup', { UserPoolId, GroupName: 'vgroup-0001', Limit: 60 });
const first = out.steps.ListUsersFirstPage.Users?.[0]?.Username;
await run('AdminGetUser', 'AdminGetUser', { UserPoolId, Username: first });
await run('AdminListGroupsForUser', 'AdminListGroupsForUser', { UserPoolId, Username: first });
await run('AdminGetMissingUser', 'AdminGetUser', { UserPoolId, Username: 'nobody' });

// The SDK's own paginators, to the end: every page's token must be one the next call accepts.
out.pages = { users: 0, usernames: 0, groups: 0, members: 0 };
const seen = new Set();
for await (const page of cognito.paginateListUsers({ client: idp }, { UserPoolId, Limit: 60 })) {
  checkRaw('idp', 'ListUsers', idpHandler.last);
  out.pages.users++;
  for (const user of page.Users) { seen.add(user.Username); out.pages.usernames++; }
}
out.pages.distinct = seen.size;
for await (const page of cognito.paginateListGroups({ client: idp }, { UserPoolId, Limit: 60 })) {
  out.pages.groups += page.Groups.length;
  for (const group of page.Groups) {
    for await (const members of cognito.paginateListUsersInGroup({ client: idp }, { UserPoolId, GroupName: group.GroupName, Limit: 60 })) {
      checkRaw('idp', 'ListUsersInGroup', idpHandler.last);
      out.pages.members += members.Users.length;
    }
  }
}

process.stdout.write(JSON.stringify(out) + '\n');
