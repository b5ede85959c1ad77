import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, unique } from '../support/app.ts';
import { adminClient } from '../support/http.ts';

test('the admin API refuses requests without a valid operator key', async () => {
  const app = await buildTestApp();
  for (const headers of [{}, { authorization: 'Bearer nope' }, { 'x-api-key': 'bza_wrong' }]) {
    const res = await app.server.inject({ method: 'GET', url: '/admin/v1/businesses', headers });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().errors[0].code, 'Unauthenticated');
    assert.ok(res.headers['x-amzn-requestid']);
  }
  const before = await app.services.accounts.listBusinesses();
  const res = await app.server.inject({ method: 'POST', url: '/admin/v1/businesses', payload: { name: 'X', marketplaces: ['US'] } });
  assert.equal(res.statusCode, 401);
  assert.equal((await app.services.accounts.listBusinesses()).length, before.length);
});

test('businesses, legal entities, groups, users and policies through the admin API', async () => {
  const app = await buildTestApp();
  const admin = await adminClient(app);
  const created = await admin('POST', '/businesses', { name: 'Acme', marketplaces: ['US', 'DE'], legalEntities: ['Acme US', 'Acme DE'] });
  assert.equal(created.status, 201);
  const id = created.body.id;
  const le = await admin('POST', `/businesses/${id}/legal-entities`, { name: 'Acme FR' });
  assert.equal(le.status, 201);
  const group = await admin('POST', `/businesses/${id}/groups`, { name: 'Eng', groupTag: 'eng' });
  assert.equal(group.status, 201);
  const dupGroup = await admin('POST', `/businesses/${id}/groups`, { name: 'Eng 2', groupTag: 'eng' });
  assert.equal(dupGroup.status, 409);
  const les = (await admin('GET', `/businesses/${id}/legal-entities`)).body.legalEntities;
  assert.equal(les.length, 3);
  const email = `u-${unique()}@acme.test`;
  const user = await admin('POST', `/businesses/${id}/users`, {
    email,
    name: 'U',
    role: 'Administrator',
    adminOfLegalEntityIds: les.map((l: { id: string }) => l.id),
    groupIds: [group.body.id],
  });
  assert.equal(user.status, 201);
  assert.equal(user.body.maceHold, false);
  const dup = await admin('POST', `/businesses/${id}/users`, { email: email.toUpperCase(), name: 'U2', role: 'Finance' });
  assert.equal(dup.status, 409);
  const patched = await admin('PATCH', `/businesses/${id}/users/${user.body.id}`, { maceHold: true, status: 'disabled' });
  assert.equal(patched.status, 200);
  assert.equal(patched.body.maceHold, true);
  assert.equal(patched.body.status, 'disabled');
  const policy = await admin('POST', `/businesses/${id}/buying-policies`, { guidance: 'BLOCKED', matchType: 'brand', value: 'Contoso' });
  assert.equal(policy.status, 201);
  const full = await admin('GET', `/businesses/${id}`);
  assert.equal(full.body.users.length, 1);
  assert.equal(full.body.buyingPolicies[0].guidance, 'BLOCKED');
  const del = await admin('DELETE', `/businesses/${id}/buying-policies/${policy.body.id}`);
  assert.equal(del.status, 204);
  const audit = await admin('GET', `/audit?subjectId=${user.body.id}`);
  assert.deepEqual(audit.body.entries.map((e: { action: string }) => e.action).sort(), ['user.create', 'user.update']);
  const upd = audit.body.entries.find((e: { action: string }) => e.action === 'user.update');
  assert.equal(upd.before.maceHold, false);
  assert.equal(upd.after.maceHold, true);
});

test('bad input gets a clear 400 in the envelope and writes nothing', async () => {
  const app = await buildTestApp();
  const admin = await adminClient(app);
  const before = (await app.services.accounts.listBusinesses()).length;
  const cases: unknown[] = [
    { name: 'A', marketplaces: ['XX'] },
    { name: '', marketplaces: ['US'] },
    { name: 'A', marketplaces: [] },
    { name: 'A', marketplaces: ['US'], extra: true },
    { name: 42, marketplaces: ['US'] },
  ];
  for (const payload of cases) {
    const res = await admin('POST', '/businesses', payload);
    assert.equal(res.status, 400, JSON.stringify(payload));
    assert.equal(res.body.errors[0].code, 'ValidationError');
    assert.match(res.body.errors[0].message, /\S/);
  }
  const malformed = await app.server.inject({
    method: 'POST',
    url: '/admin/v1/businesses',
    headers: { authorization: `Bearer ${await app.services.operators.createAdminKey('t')}`, 'content-type': 'application/json' },
    payload: '{"name":',
  });
  assert.equal(malformed.statusCode, 400);
  assert.equal((await app.services.accounts.listBusinesses()).length, before);
  const biz = await admin('POST', '/businesses', { name: 'B', marketplaces: ['US'] });
  const badUser = await admin('POST', `/businesses/${biz.body.id}/users`, {
    email: `x-${unique()}@t.test`,
    name: 'X',
    role: 'Requisitioner',
    adminOfLegalEntityIds: ['le_nope'],
  });
  assert.equal(badUser.status, 400);
  assert.equal((await admin('GET', `/businesses/${biz.body.id}/users`)).body.users.length, 0);
  const notFound = await admin('GET', '/businesses/biz_nope');
  assert.equal(notFound.status, 404);
  assert.equal(notFound.body.errors[0].code, 'NotFound');
});

test('a request body over the size limit answers 413 in the envelope', async () => {
  const app = await buildTestApp({ bodyLimitBytes: 2048 });
  const key = await app.services.operators.createAdminKey('t');
  const res = await app.server.inject({
    method: 'POST',
    url: '/admin/v1/businesses',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    payload: JSON.stringify({ name: 'x'.repeat(5000), marketplaces: ['US'] }),
  });
  assert.equal(res.statusCode, 413);
  assert.equal(res.json().errors[0].code, 'PayloadTooLarge');
});
