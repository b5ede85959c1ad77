import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, unique } from '../../support/app.ts';
import { gatewayWorld } from '../../support/gateway.ts';
import { PageClient, signIn, textOf } from '../../support/pages.ts';
import { makeBusiness } from '../../support/world.ts';

// createBusinessUserAccount over the whole server (gateway included): a user of the token's
// business, in the named group with the role, pending until activated (business admin page or the
// emulator control); its email is refused meanwhile; every refusal of the body and the business.

type Json = Record<string, unknown>;
const URL_ = '/na/businessAccounts/2021-08-30/businessUserAccount';
const LIST_CARTS = '/na/cart/2025-04-30/carts?region=US';

const app = await buildTestApp();
const w = await gatewayWorld(app);
const token = await w.tokenFor(['User Management', 'Amazon Business Order Placement']);
for (const [op, rate] of [
  ['createBusinessUserAccount', 1000],
  ['listCarts', 1000],
] as const)
  await app.services.reviews.setUsagePlan('operator:t', token.client.id, op, rate, rate);
const operatorKey = await app.services.operators.createAdminKey(`um-${unique()}`);

const create = (body: unknown, accessToken = token.accessToken, contentType = 'application/json') =>
  app.server.inject({
    method: 'POST',
    url: URL_,
    headers: { 'x-amz-access-token': accessToken, 'content-type': contentType },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
const listCarts = (email: string) =>
  app.server.inject({ method: 'GET', url: LIST_CARTS, headers: { 'x-amz-access-token': token.accessToken, 'x-amz-user-email': email } });
const emulator = (method: 'GET' | 'POST', url: string, key: string | null = operatorKey) =>
  app.server.inject({ method, url: `/_emulator/user-management${url}`, headers: key ? { authorization: `Bearer ${key}` } : {} });

const newEmail = () => `new-${unique()}@t.test`;
const request = (patch: Json = {}): Json => ({
  accountHolder: { email: newEmail(), givenName: 'Nia', familyName: 'Newcomer' },
  groupId: { idType: 'GroupId', id: w.group.id },
  role: 'Requisitioner',
  region: 'US',
  ...patch,
});
const errorOf = (res: { json(): unknown }) => (res.json() as { errors: Json[] }).errors[0]!;
const NOT_AUTHORIZED = { code: 'Unauthorized', message: 'Email is not authorized', details: 'End user email is not Authorized' };

test('a created user is pending: listed so, its email refused, until an administrator activates it on the Users page', async () => {
  const body = request({ role: 'Finance' });
  const email = (body.accountHolder as { email: string }).email;
  const res = await create(body);
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(res.body, '{}');
  assert.ok(res.headers['x-amzn-requestid']);

  const user = (await app.services.accounts.findUserByEmail(email))!;
  assert.equal(user.businessId, w.business.id, 'a user of the business that authorized the app');
  assert.equal(user.status, 'pending');
  assert.equal(user.role, 'Finance');
  assert.equal(user.name, 'Nia Newcomer');
  assert.deepEqual(user.groupIds, [w.group.id]);
  const audit = await app.ctx.db.kysely.selectFrom('audit_log').selectAll().where('subject_id', '=', user.id).orderBy('at').execute();
  assert.deepEqual(
    audit.map((a) => [a.action, a.actor]),
    [
      ['user.create', `app:${token.client.id}`],
      ['user.welcome_email', `app:${token.client.id}`],
    ],
  );
  assert.equal(JSON.parse(audit[1]!.after!).to, email, 'the welcome email is recorded with its recipient');

  // While pending, its email is the FAQ's "Email is not authorized".
  const refused = await listCarts(email);
  assert.equal(refused.statusCode, 403, refused.body);
  assert.deepEqual(refused.json(), { errors: [NOT_AUTHORIZED] });

  // The business admin pages list it as pending, with an Activate action (CSRF-protected).
  const admin = new PageClient(app);
  assert.equal((await signIn(admin, '/business', { email: w.admin.email, password: w.password })).status, 303);
  const page = await admin.get('/business/users');
  const row = textOf(page.body).split('Nia Newcomer')[1]!.slice(0, 400);
  assert.match(row, /Pending/);
  assert.match(row, /Activate/);
  assert.match(page.body, new RegExp(`action="/business/users/${user.id}/activate"`));
  assert.match(textOf(page.body), /start pending/);
  const forged = await admin.post(`/business/users/${user.id}/activate`, { csrf: 'forged' });
  assert.equal(forged.status, 403, 'a forged form is refused');
  assert.equal((await app.services.accounts.getUser(user.id)).status, 'pending');
  const activated = await admin.submit('/business/users', `/business/users/${user.id}/activate`, {});
  assert.equal(activated.status, 303);
  assert.equal((await app.services.accounts.getUser(user.id)).status, 'active');
  assert.match(
    textOf((await admin.get('/business/users')).body)
      .split('Nia Newcomer')[1]!
      .slice(0, 200),
    /Active/,
  );
  const [activation] = await app.ctx.db.kysely
    .selectFrom('audit_log')
    .selectAll()
    .where('subject_id', '=', user.id)
    .where('action', '=', 'user.activate')
    .execute();
  assert.equal(activation!.actor, `business_user:${w.admin.id}`);

  const works = await listCarts(email);
  assert.equal(works.statusCode, 200, works.body);
});

test('the emulator control activates a pending user by id or email, behind the operator key; a suppressed welcome email is not recorded', async () => {
  const body = request({
    groupId: { idType: 'GroupTag', id: w.group2.groupTag },
    role: 'PunchoutUser',
    notificationTypesToSuppress: ['EMAIL'],
  });
  const email = (body.accountHolder as { email: string }).email;
  assert.equal((await create(body)).statusCode, 201);
  const user = (await app.services.accounts.findUserByEmail(email))!;
  assert.deepEqual(user.groupIds, [w.group2.id], 'GroupTag names the group');
  const actions = await app.ctx.db.kysely.selectFrom('audit_log').select('action').where('subject_id', '=', user.id).execute();
  assert.deepEqual(
    actions.map((a) => a.action),
    ['user.create'],
  );
  assert.equal((await listCarts(email)).statusCode, 403);

  assert.equal((await emulator('POST', `/users/${encodeURIComponent(email)}/activate`, null)).statusCode, 401);
  assert.equal((await emulator('POST', `/users/${encodeURIComponent(email)}/activate`, 'not-a-key')).statusCode, 401);
  const read = await emulator('GET', `/users/${user.id}`);
  assert.equal(read.statusCode, 200, read.body);
  assert.equal((read.json() as Json).status, 'pending');
  const done = await emulator('POST', `/users/${encodeURIComponent(email)}/activate`);
  assert.equal(done.statusCode, 200, done.body);
  assert.equal((done.json() as Json).status, 'active');
  const again = await emulator('POST', `/users/${user.id}/activate`);
  assert.equal(again.statusCode, 409, 'only a pending user is activated');
  assert.equal((await emulator('POST', '/users/usr_none/activate')).statusCode, 404);
  const [activation] = await app.ctx.db.kysely
    .selectFrom('audit_log')
    .selectAll()
    .where('subject_id', '=', user.id)
    .where('action', '=', 'user.activate')
    .execute();
  assert.match(activation!.actor, /^operator:/);

  // The email works at once (listCarts needs a single group or groupTag: this user has one).
  assert.equal((await listCarts(email)).statusCode, 200);
});

test('refusals: missing fields in the model’s words, wrong values, duplicates, unknown groups, foreign marketplaces', async () => {
  const model = await create({ role: 'PunchoutUser', region: 'US' });
  assert.equal(model.statusCode, 400);
  assert.deepEqual(model.json(), {
    errors: [{ code: 'INVALID_REQUEST_PARAMETER', message: 'The required request parameter is missing: accountHolder.', details: '' }],
  });
  const holder = { email: newEmail(), givenName: 'A', familyName: 'B' };
  const cases: [string, unknown, RegExp][] = [
    ['no groupId', request({ groupId: undefined }), /missing: groupId\./],
    ['no role', request({ role: undefined }), /missing: role\./],
    ['no region', request({ region: undefined }), /missing: region\./],
    ['no email', request({ accountHolder: { givenName: 'A', familyName: 'B' } }), /missing: accountHolder\.email\./],
    ['no givenName', request({ accountHolder: { email: newEmail(), familyName: 'B' } }), /missing: accountHolder\.givenName\./],
    ['no familyName', request({ accountHolder: { email: newEmail(), givenName: 'A' } }), /missing: accountHolder\.familyName\./],
    ['no idType', request({ groupId: { id: w.group.id } }), /missing: groupId\.idType\./],
    ['not an email', request({ accountHolder: { ...holder, email: 'nobody' } }), /accountHolder\.email: "nobody" is not an email address/],
    ['a number for a name', request({ accountHolder: { ...holder, givenName: 7 } }), /accountHolder\.givenName: it must be a string/],
    [
      'unknown idType',
      request({ groupId: { idType: 'GroupName', id: 'x' } }),
      /groupId\.idType: "GroupName" is not a group identifier type/,
    ],
    [
      'unknown role',
      request({ role: 'Buyer' }),
      /role: "Buyer" is not a BusinessRole \(one of Requisitioner, PunchoutUser, Administrator, Finance, Tech\)/,
    ],
    ['unknown region', request({ region: 'MX' }), /region: "MX" is not a Region/],
    [
      'unknown notification',
      request({ notificationTypesToSuppress: ['SMS'] }),
      /notificationTypesToSuppress\[0\]: "SMS" is not a NotificationType/,
    ],
    ['unknown GroupId', request({ groupId: { idType: 'GroupId', id: 'grp_none' } }), /no group of the business has the GroupId "grp_none"/],
    ['unknown GroupTag', request({ groupId: { idType: 'GroupTag', id: 'nope' } }), /no group of the business has the GroupTag "nope"/],
    [
      'a store the business is not in',
      request({ region: 'DE' }),
      /the business does not operate in the DE marketplace \(its marketplaces: US, CA, UK\)/,
    ],
    [
      'an email of this business',
      request({ accountHolder: { ...holder, email: w.buyer.email.toUpperCase() } }),
      /already associated with an existing Amazon Business user account/,
    ],
  ];
  const other = await makeBusiness(app);
  cases.push(['an email of another business', request({ accountHolder: { ...holder, email: other.buyer.email } }), /already associated/]);
  for (const [what, body, message] of cases) {
    const res = await create(body);
    assert.equal(res.statusCode, 400, `${what}: ${res.body}`);
    assert.equal(errorOf(res).code, 'INVALID_REQUEST_PARAMETER', what);
    assert.match(String(errorOf(res).message), message, what);
  }
  // A marketplace of the business that is not the token's: the 403 every API answers.
  const foreign = await create(request({ region: 'CA' }));
  assert.equal(foreign.statusCode, 403, foreign.body);
  assert.deepEqual(foreign.json(), { errors: [{ message: 'Access to requested resource is denied.', code: 'Unauthorized', details: '' }] });
  // Bodies that are not a JSON object.
  for (const [what, payload, type, status] of [
    ['malformed JSON', '{"accountHolder":', 'application/json', 400],
    ['an array', '[]', 'application/json', 400],
    ['text', 'accountHolder=x', 'text/plain', 415],
  ] as const) {
    const res = await create(payload, token.accessToken, type);
    assert.equal(res.statusCode, status, `${what}: ${res.body}`);
  }
  const empty = await app.server.inject({ method: 'POST', url: URL_, headers: { 'x-amz-access-token': token.accessToken } });
  assert.equal(empty.statusCode, 400, empty.body);
  // Nothing was created by any refused call.
  assert.equal(await app.services.accounts.findUserByEmail(holder.email), null);
});

test('a token of another business creates users in its own business only; the role is required', async () => {
  const other = await makeBusiness(app, ['US']);
  const dev = w.dev;
  const { makePublishedApp } = await import('../../support/world.ts');
  const { app: client } = await makePublishedApp(app, dev.id, ['User Management']);
  const t = await app.services.oauth.authorizeOnBehalf({
    applicationId: client.applicationId,
    adminEmail: other.admin.email,
    marketplace: 'US',
  });
  const email = newEmail();
  // This business's group is not one of the other business's.
  const res = await create(request({ accountHolder: { email, givenName: 'X', familyName: 'Y' } }), t.access_token);
  assert.equal(res.statusCode, 400, res.body);
  assert.match(String(errorOf(res).message), /no group of the business has the GroupId/);
  assert.equal(await app.services.accounts.findUserByEmail(email), null);
  const own = await create(
    request({ accountHolder: { email, givenName: 'X', familyName: 'Y' }, groupId: { idType: 'GroupTag', id: other.group.groupTag } }),
    t.access_token,
  );
  assert.equal(own.statusCode, 201, own.body);
  assert.equal((await app.services.accounts.findUserByEmail(email))!.businessId, other.business.id);

  const noRole = await w.tokenFor(['Business Product Catalog']);
  assert.equal((await create(request(), noRole.accessToken)).statusCode, 403);
});
