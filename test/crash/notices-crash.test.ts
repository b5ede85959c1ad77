import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { isolatedDatabase } from '../support/isolated.ts';
import { freePort, jsonCalls, startServer, type ServerProcess } from '../support/server-process.ts';
import { startWebhook } from '../apis/application-management/receivers.ts';

// Durable delivery: rotateApplicationClientSecret answers 204 while the webhook destination is
// down; the server is killed with SIGKILL before any delivery succeeds, restarted on the same
// database, and the notice (queued in the rotation's transaction) is delivered once the
// destination is up. On SQLite or PostgreSQL (DB=postgres).

const ADMIN_KEY = `bza_notice_${'n'.repeat(20)}${Math.random().toString(36).slice(2)}`;

test('a rotation acknowledged before a SIGKILL is delivered after the restart', { timeout: 90_000 }, async () => {
  const { config } = await isolatedDatabase();
  const env = {
    DATA_DIR: config.dataDir,
    DATABASE_URL: config.databaseUrl ?? '',
    LOG_LEVEL: 'warn',
    ADMIN_API_KEY: ADMIN_KEY,
    NOTICE_POLL_MS: '100',
    NOTICE_RETRY_BASE_MS: '300',
  };
  let server: ServerProcess = await startServer(env);
  after(() => server.stop('SIGKILL'));
  const { call, admin } = jsonCalls(() => server.baseUrl, ADMIN_KEY);

  await call('POST', '/developer/v1/register', { email: 'notice-dev@t.test', name: 'D', password: 'developer-password' });
  const session = await call('POST', '/developer/v1/sessions', { email: 'notice-dev@t.test', password: 'developer-password' });
  const dev = (method: string, url: string, body?: unknown) =>
    call(method, `/developer/v1${url}`, body, { authorization: `Bearer ${String(session.body.token)}` });
  await dev('PUT', '/profile', {
    organization: 'O',
    contactEmail: 'notice-dev@t.test',
    useCase: 'crash',
    requestedRoles: ['Business Product Catalog'],
  });
  await dev('POST', '/profile/submit');
  for (const r of (await admin('GET', '/reviews?status=pending')).body.reviews as { id: string }[])
    await admin('POST', `/reviews/${r.id}/approve`, {});
  const created = await dev('POST', '/apps', {
    name: 'Notice app',
    type: 'production',
    visibility: 'private',
    roles: ['Business Product Catalog'],
    redirectUris: ['https://client.example.com/cb'],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));

  // The destination's port is free: nothing listens there until after the restart.
  const port = await freePort();
  const hookUrl = `http://127.0.0.1:${port}/hooks/bizapi`;
  const added = await dev('POST', `/apps/${String(created.body.id)}/notice-destinations`, { type: 'webhook', url: hookUrl });
  assert.equal(added.status, 201, JSON.stringify(added.body));

  const tokenRes = await fetch(`${server.baseUrl}/auth/o2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: String(created.body.clientId),
      client_secret: String(created.body.clientSecret),
      scope: 'businessapi::client_credential:rotation',
    }),
  });
  const token = ((await tokenRes.json()) as { access_token: string }).access_token;
  const rotated = await fetch(`${server.baseUrl}/na/applications/2023-11-30/clientSecret`, {
    method: 'POST',
    headers: { 'x-amz-access-token': token },
  });
  assert.equal(rotated.status, 204);
  await server.stop('SIGKILL');

  const hook = await startWebhook(port);
  after(() => hook.close());
  server = await startServer(env);
  // Within the lease (15 s) of an attempt the kill may have interrupted, and a retry delay.
  const delivered = await hook.waitFor(1, 45_000);
  const notice = JSON.parse(delivered.body) as Record<string, string>;
  assert.equal(notice.notificationType, 'CLIENT_SECRET_ROTATION');
  assert.equal(notice.clientId, created.body.clientId);
  // The new secret works.
  const withNew = await fetch(`${server.baseUrl}/auth/o2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: String(created.body.clientId),
      client_secret: notice.newClientSecret!,
      scope: 'businessapi::client_credential:rotation',
    }),
  });
  assert.equal(withNew.status, 200);
  // The webhook hears the notice an instant before the worker records its delivery.
  let entry: { status: string; log: { outcome: string }[] } | undefined;
  for (let i = 0; i < 200 && entry?.status !== 'delivered'; i++) {
    if (i) await new Promise((r) => setTimeout(r, 25));
    entry = ((await dev('GET', `/apps/${String(created.body.id)}/notices`)).body.notices as (typeof entry)[])[0];
  }
  assert.equal(entry!.status, 'delivered');
  assert.equal(entry!.log.at(-1)!.outcome, 'delivered');
  // The server's output never held the new secret.
  assert.ok(!server.output().includes(notice.newClientSecret!));
});
