import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, unique, type TestApp } from '../support/app.ts';
import { makeBusiness } from '../support/world.ts';
import { loadConfig } from '../../src/config/config.ts';

// Sign-in limits cannot be reset by X-Forwarded-For: forwarded headers are believed only from the
// proxies TRUST_PROXY names (none by default), and every account has a limit of its own whatever
// the address, on every sign-in surface.

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = 'application/x-www-form-urlencoded';

/** One wrong-password attempt on each surface, from a new X-Forwarded-For each time. */
function surfaces(app: TestApp, email: string) {
  // Limits are per account across surfaces: each surface gets an account of its own.
  const on = (surface: string) => `${surface}-${email}`;
  let n = 0;
  const xff = () => ({ 'x-forwarded-for': `203.0.113.${++n % 250}` });
  return {
    'developer API': async () =>
      (
        await app.server.inject({
          method: 'POST',
          url: '/developer/v1/sessions',
          headers: { ...xff(), 'content-type': 'application/json' },
          payload: { email: on('api'), password: 'wrong-password-x' },
        })
      ).statusCode,
    'business portal': async () =>
      (
        await app.server.inject({
          method: 'POST',
          url: '/business/signin',
          headers: { ...xff(), 'content-type': FORM, cookie: 'bizapi_portal_csrf=t' },
          payload: form({ csrf: 't', email, password: 'wrong-password-x' }),
        })
      ).statusCode,
    'developer portal': async () =>
      (
        await app.server.inject({
          method: 'POST',
          url: '/portal/signin',
          headers: { ...xff(), 'content-type': FORM, cookie: 'bizapi_portal_csrf=t' },
          payload: form({ csrf: 't', email: on('portal'), password: 'wrong-password-x' }),
        })
      ).statusCode,
    'consent page': async () =>
      (
        await app.server.inject({
          method: 'POST',
          url: '/b2b/abws/signin',
          headers: { ...xff(), 'content-type': FORM, cookie: 'bizapi_csrf=t' },
          payload: form({
            csrf: 't',
            email: on('consent'),
            password: 'wrong-password-x',
            applicationId: 'amzn1.sp.solution.x',
            redirect_uri: 'https://x.example/cb',
          }),
        })
      ).statusCode,
    'operator console': async () =>
      (
        await app.server.inject({
          method: 'POST',
          url: '/console/signin',
          headers: { ...xff(), 'content-type': FORM, cookie: 'bizapi_portal_csrf=t' },
          payload: form({ csrf: 't', key: `bza_wrong_${unique()}${unique()}${unique()}` }),
        })
      ).statusCode,
  };
}

test('a new X-Forwarded-For per attempt does not reset the limit on any sign-in surface (no proxy trusted)', async () => {
  const app = await buildTestApp();
  const w = await makeBusiness(app);
  for (const [name, attempt] of Object.entries(surfaces(app, w.admin.email))) {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push(await attempt());
    assert.equal(statuses.filter((s) => s === 429).length, 2, `${name}: ${statuses.join(',')}`);
    assert.ok(
      statuses.slice(0, 10).every((s) => s !== 429),
      `${name}: the first ten are counted, not refused`,
    );
  }
});

test('behind a trusted proxy, each client address is its own, but an account still gets at most 20 guesses', async () => {
  const app = await buildTestApp({ trustProxy: ['127.0.0.1'] });
  const w = await makeBusiness(app);
  const attempt = surfaces(app, w.admin.email)['business portal'];
  const statuses: number[] = [];
  for (let i = 0; i < 22; i++) statuses.push(await attempt());
  assert.ok(
    statuses.slice(0, 20).every((s) => s === 401),
    statuses.join(','),
  );
  assert.deepEqual(statuses.slice(20), [429, 429]);
});

test('TRUST_PROXY takes addresses and ranges only', () => {
  assert.equal(loadConfig({ TRUST_PROXY: '' }).trustProxy, null);
  assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy, ['10.0.0.0/8', '127.0.0.1']);
  assert.throws(() => loadConfig({ TRUST_PROXY: 'true' }), /TRUST_PROXY must be comma-separated proxy addresses/);
});
