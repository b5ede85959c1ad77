import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dbKind, testDataDir } from '../support/app.ts';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/bizapi.mjs', import.meta.url));
const dataDir = testDataDir();
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
const env = {
  ...process.env,
  DATA_DIR: dataDir,
  LOG_LEVEL: 'silent',
  PORT: '8080',
  ...(dbKind === 'postgres' ? {} : { DATABASE_URL: '' }),
};
const bizapi = async (...args: string[]) => {
  const { stdout } = await run(process.execPath, [BIN, ...args], { env });
  return stdout;
};

test('bizapi demo --json prints the seeded demo world; authorize prints a working refresh token', async () => {
  const demo = JSON.parse(await bizapi('demo', '--json'));
  assert.equal(demo.seeded, true);
  assert.match(demo.app.applicationId, /^amzn1\.sp\.solution\./);
  assert.match(demo.app.clientId, /^amzn1\.application-oa2-client\.[0-9a-f]{32}$/);
  assert.match(demo.app.clientSecret, /^amzn1\.oa2-cs\.v1\./);
  // Every role, User Management included (its offline approval granted in the demo world).
  assert.deepEqual(demo.app.roles, [
    'Business Product Catalog',
    'Amazon Business Analytics',
    'Business Purchase Reconciliation',
    'Amazon Business Order Placement',
    'User Management',
  ]);
  assert.equal(demo.admin.email, 'admin@demo-industries.test');
  assert.equal(demo.users.length, 4);
  // Deterministic: the same world every time.
  assert.equal(demo.app.applicationId, 'amzn1.sp.solution.87b899f8-8951-43fb-ab17-5c1b20501522');
  const auth = JSON.parse(
    await bizapi('authorize', '--application-id', demo.app.applicationId, '--admin', demo.admin.email, '--region', 'NA', '--json'),
  );
  assert.match(auth.refresh_token, /^Atzr\|/);
  assert.equal(auth.region, 'NA');
  assert.equal(auth.marketplace, 'US', 'NA alone: the business’s first NA marketplace');
  // Tokens are per marketplace: --marketplace authorizes that one, as its own authorization.
  const ca = JSON.parse(
    await bizapi('authorize', '--application-id', demo.app.applicationId, '--admin', demo.admin.email, '--marketplace', 'ca', '--json'),
  );
  assert.deepEqual([ca.marketplace, ca.region], ['CA', 'NA']);
  assert.notEqual(ca.authorizationId, auth.authorizationId);
  const text = await bizapi('authorize', '--application-id', demo.app.applicationId, '--admin', demo.admin.email, '--marketplace', 'CA');
  assert.match(text, /^Authorized in the CA marketplace \(region NA\)\. Refresh token:\nAtzr\|/);
  const listed = await bizapi('authorizations', 'list');
  assert.match(listed, new RegExp(`${auth.authorizationId}\t.*\tUS\tNA\tproduction`));
  assert.match(listed, new RegExp(`${ca.authorizationId}\t.*\tCA\tNA\tproduction`));
  // A marketplace not in the list is a usage error (exit 2); one the business does not operate in is refused (exit 1).
  for (const [mp, code, message] of [
    ['XX', 2, /--marketplace is one of US, CA, MX, UK, DE, FR, ES, IT, IN, AU, JP/],
    ['UK', 1, /does not operate in this marketplace/],
  ] as const) {
    const failed = await run(
      process.execPath,
      [BIN, 'authorize', '--application-id', demo.app.applicationId, '--admin', demo.admin.email, '--marketplace', mp],
      { env },
    ).catch((e: { code: number; stderr: string }) => e);
    assert.equal((failed as { code: number }).code, code, mp);
    assert.match((failed as { stderr: string }).stderr, message, mp);
  }
  const refused = await run(
    process.execPath,
    [BIN, 'authorize', '--application-id', demo.app.applicationId, '--admin', 'partial-admin@demo-industries.test', '--json'],
    { env },
  ).catch((e: { code: number; stderr: string }) => e);
  assert.equal((refused as { code: number }).code, 1);
  assert.match((refused as { stderr: string }).stderr, /all legal entities/);
});

test('bizapi history places past orders with a progress line, and the same seed adds nothing the second time', async () => {
  await bizapi('seed');
  const { stdout, stderr } = await run(process.execPath, [BIN, 'history', '--orders', '300', '--days', '30', '--seed', 'cli'], { env });
  assert.match(stdout, /^Placed \d+ order\(s\) in the past/);
  const placed = Number(/^Placed (\d+)/.exec(stdout)![1]);
  assert.ok(placed >= 280, stdout);
  // Not a terminal: progress lines, the last one complete.
  assert.match(stderr, /\[#{30}\] 100% 300\/300 orders, \d+\/s/);
  const again = JSON.parse(await bizapi('history', '--orders', '300', '--days', '30', '--seed', 'cli', '--json'));
  assert.deepEqual([again.placed, again.skipped], [0, 300]);
  const bad = await run(process.execPath, [BIN, 'history', '--orders', '0'], { env }).catch((e: { code: number; stderr: string }) => e);
  assert.notEqual((bad as { code: number }).code, 0);
});

test('operator commands: reviews, usage plans, privileged fields, with --json', async () => {
  await bizapi('seed');
  const apps = JSON.parse(await bizapi('apps', 'list', '--json'));
  const app = apps.find((a: { name: string }) => a.name === 'Demo Procurement Connector');
  const plan = JSON.parse(await bizapi('usage-plan', 'set', app.id, 'searchProductsRequest', '--rate', '5', '--burst', '20', '--json'));
  assert.deepEqual(plan, { appId: app.id, operation: 'searchProductsRequest', rate: 5, burst: 20 });
  const granted = JSON.parse(await bizapi('privileged', 'grant', app.id, 'meanFeedbackRating', '--json'));
  assert.deepEqual(granted.fields, ['meanFeedbackRating']);
  const reviews = JSON.parse(await bizapi('reviews', 'list', '--json'));
  assert.ok(Array.isArray(reviews));
  const usage = await run(process.execPath, [BIN, 'usage-plan', 'set', app.id], { env }).catch((e: { code: number; stderr: string }) => e);
  assert.equal((usage as { code: number }).code, 2);
  assert.match((usage as { stderr: string }).stderr, /usage: missing <operationId>/);
  const badEnv = await run(process.execPath, [BIN, 'demo'], { env: { ...env, PORT: 'eighty' } }).catch(
    (e: { code: number; stderr: string }) => e,
  );
  assert.equal((badEnv as { code: number }).code, 2);
  assert.match((badEnv as { stderr: string }).stderr, /PORT must be a whole number/);
});
