import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { isolatedDatabase } from '../../support/isolated.ts';
import { makeApprovedDeveloper, makePublishedApp } from '../../support/world.ts';
import { NoticesService, retryDelayMs, signV4 } from '../../../src/modules/developers/index.ts';
import { SecretBox } from '../../../src/platform/crypto/secret-box.ts';

// The pieces under the delivery: the SigV4 signer against AWS's published test suite, the retry
// schedule, the secret box, and the outbox's leases between two workers on one database.

const EMPTY = createHash('sha256').update('').digest('hex');
const vector = (method: string, url: string) =>
  signV4({
    method,
    url: new URL(url),
    headers: { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z' },
    payloadHash: EMPTY,
    region: 'us-east-1',
    service: 'service',
    accessKeyId: 'AKIDEXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    amzDate: '20150830T123600Z',
  });

test('SigV4: AWS test suite get-vanilla, get-vanilla-query-order-key-case and post-vanilla', () => {
  const prefix =
    'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=';
  assert.equal(
    vector('GET', 'https://example.amazonaws.com/'),
    `${prefix}5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31`,
  );
  assert.equal(
    vector('GET', 'https://example.amazonaws.com/?Param2=value2&Param1=value1'),
    `${prefix}b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500`,
  );
  assert.equal(
    vector('POST', 'https://example.amazonaws.com/'),
    `${prefix}5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b`,
  );
});

test('retry schedule: base, doubling, at most an hour', () => {
  const policy = { maxAttempts: 10, baseDelayMs: 10_000 };
  assert.deepEqual(
    [1, 2, 3, 4, 9, 12].map((n) => retryDelayMs(policy, n)),
    [10_000, 20_000, 40_000, 80_000, 2_560_000, 3_600_000],
  );
});

test('secret box: opens only with its key and its context', () => {
  const box = new SecretBox('k'.repeat(32));
  const sealed = box.seal('amzn1.oa2-cs.v1.abc', 'notice_outbox:1');
  assert.ok(!sealed.includes('abc'));
  assert.equal(box.open(sealed, 'notice_outbox:1'), 'amzn1.oa2-cs.v1.abc');
  assert.throws(() => box.open(sealed, 'notice_outbox:2'));
  assert.throws(() => new SecretBox('x'.repeat(32)).open(sealed, 'notice_outbox:1'));
});

test('leases: two workers on one database never claim the same notice; an expired lease is claimed again', async () => {
  // The server's own worker is kept out of the way by a long poll and a destination that is never due;
  // a database of its own keeps other files' workers (on PostgreSQL, some with clocks far ahead) off
  // these notices, and these claims off theirs.
  const app = await (await isolatedDatabase()).build({ noticePollMs: 3_600_000 });
  const dev = await makeApprovedDeveloper(app);
  const { app: client } = await makePublishedApp(app, dev.id);
  const a = new NoticesService(app.ctx);
  const b = new NoticesService(app.ctx);
  await a.addDestination('test', client.id, { type: 'webhook', url: 'http://127.0.0.1:9/unused' });
  const later = Date.now() + 600_000;
  for (let i = 0; i < 6; i++)
    await app.ctx.db.transaction(async (trx) => {
      await a.enqueue(trx, client.id, 'CLIENT_SECRET_NOTICE_TEST', { i });
    });
  await app.ctx.db.kysely.updateTable('notice_outbox').set({ next_attempt_at: later }).where('app_id', '=', client.id).execute();
  const [x, y] = await Promise.all([a.claimDue('wrk_a', later, 10), b.claimDue('wrk_b', later, 10)]);
  const ids = [...x, ...y].map((n) => n.id);
  assert.equal(ids.length, 6);
  assert.equal(new Set(ids).size, 6);
  assert.deepEqual(await b.claimDue('wrk_b', later + 1000, 10), []);
  const again = await b.claimDue('wrk_b', later + 16_000, 10);
  assert.equal(again.length, 6);
});
