import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openContext } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { runEmulatorCommand } from '../../src/modules/emulator/index.ts';
import { isolatedDatabase } from '../support/isolated.ts';
import { gatewayWorld, PROBE, probeUrl } from '../support/gateway.ts';
import { cli as runCli, REDIS_URL } from '../support/emulator.ts';
import type { TestApp } from '../support/app.ts';

// When a command of the CLI returns, or an HTTP control of one server process answers, every server
// process on the same database answers by the new state: no sleep, no retry, checked many times in
// a row so that a race cannot pass by luck. On the database of the run (SQLite or PostgreSQL),
// without Redis and with it. The "CLI" here is the CLI's own code on a connection of its own (as
// a separate process has), followed by what `bizapi` does before it exits (`events.settled()`);
// test/http/cli.test.ts and test/http/emulator-clock.test.ts run the real command too.

const ROUNDS = Number(process.env.CROSS_PROCESS_ROUNDS ?? 50);
// A reset round builds a whole new world (business, developer, app, consent): fewer of them.
const RESET_ROUNDS = Math.max(2, Math.round(ROUNDS / 5));
const SETUPS = [
  { name: 'without Redis', redisUrl: null },
  { name: 'with Redis', redisUrl: REDIS_URL },
] as const;

async function world(redisUrl: string | null) {
  const iso = await isolatedDatabase();
  const a = await iso.build({ redisUrl });
  const b = await iso.build({ redisUrl });
  const env = {
    ...process.env,
    DATA_DIR: iso.config.dataDir,
    DATABASE_URL: iso.config.databaseUrl ?? '',
    SEED_DEMO: 'false',
    BIZAPI_MODE: 'local',
    REDIS_URL: redisUrl ?? '',
  };
  const cliCtx = await openContext(loadConfig(env));
  const w = await gatewayWorld(a);
  const cli = async (command: string, args: string[], flags: Record<string, string | boolean> = {}) => {
    await runEmulatorCommand(command, args, flags, cliCtx.ctx, cliCtx.services);
    await cliCtx.ctx.events.settled();
  };
  const admin = async (change: (s: typeof cliCtx.services) => Promise<unknown>) => {
    await change(cliCtx.services);
    await cliCtx.ctx.events.settled();
  };
  // One app (a developer may have ten), authorized again for every new token.
  const first = await w.tokenFor(['Amazon Business Analytics']);
  await a.services.reviews.setUsagePlan('operator:t', first.client.id, PROBE.operationId, 1000, 1000);
  /** A new authorization and access token of the app, issued on the shared clock. */
  const token = async () => {
    await a.emulator.sync.ensureCurrent();
    const t = await a.services.oauth.authorizeOnBehalf({
      applicationId: first.client.applicationId,
      adminEmail: w.admin.email,
      marketplace: 'US',
    });
    return { client: first.client, accessToken: t.access_token };
  };
  const call = (app: TestApp, accessToken: string) =>
    app.server.inject({
      method: 'GET',
      url: probeUrl(),
      headers: { 'x-amz-access-token': accessToken },
    });
  return { iso, a, b, w, cli, admin, token, call, close: () => cliCtx.ctx.db.destroy() };
}

for (const setup of SETUPS) {
  test(`CLI clock, faults and an admin change are seen by the very next call of a running server (${setup.name})`, async () => {
    const { b, cli, admin, token, call, close } = await world(setup.redisUrl);
    try {
      for (let i = 0; i < ROUNDS; i++) {
        const t = await token();
        assert.equal((await call(b, t.accessToken)).statusCode, PROBE.status, `round ${i}: the token works`);
        await cli('clock', ['advance', '3601']);
        const expired = await call(b, t.accessToken);
        assert.equal(expired.statusCode, 403, `round ${i}: clock advance`);
        assert.match(expired.body, /has expired/);
        await cli('clock', ['reset']);

        const u = await token();
        assert.equal((await call(b, u.accessToken)).statusCode, PROBE.status);
        await cli('faults', ['add'], { operation: PROBE.operationId, status: '503' });
        assert.equal((await call(b, u.accessToken)).statusCode, 503, `round ${i}: faults add`);
        await cli('faults', ['remove'], { all: true });
        assert.equal((await call(b, u.accessToken)).statusCode, PROBE.status, `round ${i}: faults remove`);

        const authorization = (await b.services.oauth.listAuthorizations({ appId: u.client.id })).find((x) => !x.revokedAt);
        await admin((s) => s.oauth.revokeAuthorization('operator:cli', authorization!.id));
        assert.equal((await call(b, u.accessToken)).statusCode, 403, `round ${i}: a revocation by the CLI`);
      }
    } finally {
      await close();
    }
  });

  test(`CLI and HTTP reset and snapshot load are seen by the very next call of another process (${setup.name})`, async () => {
    const { iso, a, b, cli, token, call, close } = await world(setup.redisUrl);
    const file = path.join(iso.config.dataDir, 'before.json');
    const key = await a.services.operators.createAdminKey('cross-process-world');
    const operator = { authorization: `Bearer ${key}` };
    try {
      await cli('snapshot', ['save', file]);
      const snapshot = fs.readFileSync(file, 'utf8');
      for (let i = 0; i < ROUNDS; i++) {
        const t = await token();
        assert.equal((await call(b, t.accessToken)).statusCode, PROBE.status);
        if (i % 2 === 0) await cli('snapshot', ['load', file]);
        else
          await a.server.inject({
            method: 'POST',
            url: '/_emulator/snapshot',
            headers: { ...operator, 'content-type': 'application/json' },
            payload: snapshot,
          });
        assert.equal((await call(b, t.accessToken)).statusCode, 403, `round ${i}: the token is not in the snapshot`);
      }
      for (let i = 0; i < RESET_ROUNDS; i++) {
        // A reset empties everything but operator keys: a new world each round.
        const fresh = await gatewayWorld(a);
        const t = await fresh.tokenFor(['Amazon Business Analytics']);
        assert.equal((await call(b, t.accessToken)).statusCode, PROBE.status);
        if (i % 2 === 0) await cli('reset', [], { seed: 'false' });
        else await a.server.inject({ method: 'POST', url: '/_emulator/reset', headers: operator, payload: { seed: false } });
        assert.equal((await call(b, t.accessToken)).statusCode, 403, `round ${i}: reset, the token is gone`);
      }
    } finally {
      await close();
      fs.rmSync(file, { force: true });
    }
  });

  test(`an HTTP control of one process acts in the other before it answers (${setup.name})`, async () => {
    const { a, b, w, token, call, close } = await world(setup.redisUrl);
    try {
      const key = await a.services.operators.createAdminKey('cross-process');
      const operator = { authorization: `Bearer ${key}` };
      for (let i = 0; i < ROUNDS; i++) {
        const t = await token();
        assert.equal((await call(b, t.accessToken)).statusCode, PROBE.status);
        await a.server.inject({ method: 'POST', url: '/_emulator/clock', headers: operator, payload: { advanceSeconds: 3601 } });
        assert.equal((await call(b, t.accessToken)).statusCode, 403, `round ${i}: clock through the other process`);
        await a.server.inject({ method: 'POST', url: '/_emulator/clock', headers: operator, payload: { reset: true } });

        const u = await token();
        await a.server.inject({
          method: 'POST',
          url: '/admin/v1/faults',
          headers: operator,
          payload: { operation: PROBE.operationId, status: 504 },
        });
        assert.equal((await call(b, u.accessToken)).statusCode, 504, `round ${i}: a fault rule added in the other process`);
        await a.server.inject({ method: 'DELETE', url: '/admin/v1/faults', headers: operator });
        assert.equal((await call(b, u.accessToken)).statusCode, PROBE.status);

        const authorization = (await b.services.oauth.listAuthorizations({ appId: u.client.id })).find((x) => !x.revokedAt);
        const revoked = await a.server.inject({
          method: 'DELETE',
          url: `/admin/v1/businesses/${w.business.id}/authorizations/${authorization!.id}`,
          headers: operator,
        });
        assert.equal(revoked.statusCode, 204, revoked.body);
        assert.equal((await call(b, u.accessToken)).statusCode, 403, `round ${i}: a revocation in the other process`);
      }
    } finally {
      await close();
    }
  });
}

test('the real bizapi command: when it returns, a running server answers by the new state', async () => {
  const { iso, b, token, call, close } = await world(null);
  try {
    for (let i = 0; i < 2; i++) {
      const t = await token();
      assert.equal((await call(b, t.accessToken)).statusCode, PROBE.status, 'the token works and its grant is cached');
      const authorization = (await b.services.oauth.listAuthorizations({ appId: t.client.id })).find((x) => !x.revokedAt)!;
      const revoked = await runCli(iso.config, ['authorizations', 'revoke', authorization.id]);
      assert.equal(revoked.code, 0, revoked.stderr);
      assert.equal((await call(b, t.accessToken)).statusCode, 403, `round ${i}: revoked by the command`);

      const u = await token();
      const added = await runCli(iso.config, ['faults', 'add', '--operation', PROBE.operationId, '--status', '500', '--count', '1']);
      assert.equal(added.code, 0, added.stderr);
      assert.equal((await call(b, u.accessToken)).statusCode, 500, `round ${i}: the fault rule added by the command`);
      assert.equal((await call(b, u.accessToken)).statusCode, PROBE.status, 'its one call is used');
    }
  } finally {
    await close();
  }
});
