import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../support/app.ts';
import { makeApprovedDeveloper } from '../support/world.ts';
import { constantTimeEqual } from '../../src/kernel/ids.ts';

// The time a secret comparison takes must not tell how much of a guess was right. Samples of a
// wrong guess that shares all but the last character with the secret and of one that differs from
// the first character are taken interleaved (so drift and GC hit both alike); their medians must be
// close. The bounds are generous on purpose: an early-exit comparison over a long prefix shows as a
// large, stable ratio, while scheduler noise does not survive the median of interleaved samples.

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/**
 * Measures up to three times and keeps the attempt closest to 1: a real leak is systematic and
 * shows in every attempt, while a burst of load from a parallel test file spoils at most one.
 */
async function bestOfThree(
  a: () => unknown,
  b: () => unknown,
  samples: number,
  perSample: number,
): Promise<{ ratio: number; ma: number; mb: number }> {
  let best = { ratio: Number.POSITIVE_INFINITY, ma: 0, mb: 0 };
  for (let attempt = 0; attempt < 3; attempt++) {
    const r = await medianRatio(a, b, samples, perSample);
    if (Math.abs(Math.log(r.ratio)) < Math.abs(Math.log(best.ratio))) best = r;
    if (best.ratio > 0.9 && best.ratio < 1.11) break;
  }
  return best;
}

/** Interleaved timing of two actions; returns the ratio of their median durations (a / b). */
async function medianRatio(
  a: () => unknown,
  b: () => unknown,
  samples: number,
  perSample: number,
): Promise<{ ratio: number; ma: number; mb: number }> {
  const ta: number[] = [];
  const tb: number[] = [];
  const time = async (fn: () => unknown): Promise<number> => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < perSample; i++) await fn();
    return Number(process.hrtime.bigint() - start);
  };
  for (let i = 0; i < 5; i++) {
    await time(a);
    await time(b);
  }
  for (let i = 0; i < samples; i++) {
    // Alternate which goes first, so neither always runs on a warmer cache.
    if (i % 2 === 0) {
      ta.push(await time(a));
      tb.push(await time(b));
    } else {
      tb.push(await time(b));
      ta.push(await time(a));
    }
  }
  const ma = median(ta);
  const mb = median(tb);
  return { ratio: ma / mb, ma, mb };
}

const SECRET = 'amzn1.oa2-cs.v1.7d41d4e99a38e141c13358ffba50123d5fed6f77975c8b34b09493e081b72e3b';
const nearMiss = `${SECRET.slice(0, -1)}${SECRET.endsWith('0') ? '1' : '0'}`;
const farMiss = `${SECRET.startsWith('x') ? 'y' : 'x'}${SECRET.slice(1)}`;

test('constantTimeEqual: a guess right up to the last character takes as long as one wrong from the first', async () => {
  assert.equal(constantTimeEqual(SECRET, nearMiss), false);
  assert.equal(constantTimeEqual(SECRET, farMiss), false);
  assert.equal(constantTimeEqual(SECRET, SECRET), true);
  const { ratio, ma, mb } = await bestOfThree(
    () => constantTimeEqual(SECRET, nearMiss),
    () => constantTimeEqual(SECRET, farMiss),
    301,
    200,
  );
  assert.ok(ratio > 0.75 && ratio < 1.33, `median near-miss ${ma} ns vs far-miss ${mb} ns (ratio ${ratio.toFixed(3)})`);
});

test('client secret check: a secret right up to the last character is refused in the time of a wrong one', async () => {
  const app = await buildTestApp();
  const dev = await makeApprovedDeveloper(app);
  const { app: client, clientSecret } = await app.services.apps.create(dev.id, {
    name: 'Timing',
    type: 'production',
    visibility: 'private',
    roles: ['Business Product Catalog'],
    redirectUris: ['https://client.example.com/cb'],
  });
  const near = `${clientSecret.slice(0, -1)}${clientSecret.endsWith('0') ? '1' : '0'}`;
  const far = `${clientSecret.startsWith('x') ? 'y' : 'x'}${clientSecret.slice(1)}`;
  assert.equal(await app.services.apps.verifyClient(client.clientId, near), null);
  assert.equal(await app.services.apps.verifyClient(client.clientId, far), null);
  assert.ok(await app.services.apps.verifyClient(client.clientId, clientSecret));
  const { ratio, ma, mb } = await bestOfThree(
    () => app.services.apps.verifyClient(client.clientId, near),
    () => app.services.apps.verifyClient(client.clientId, far),
    401,
    1,
  );
  assert.ok(ratio > 0.67 && ratio < 1.5, `median near-miss ${ma} ns vs far-miss ${mb} ns (ratio ${ratio.toFixed(3)})`);
});

test('the harness sees a leak: an early-exit comparison over a long prefix fails these bounds', async () => {
  const long = 'k'.repeat(20_000);
  const near = `${long.slice(0, -1)}x`;
  const far = `x${long.slice(1)}`;
  const leaky = (a: string, b: string): boolean => {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return false;
    return true;
  };
  const { ratio } = await medianRatio(
    () => leaky(long, near),
    () => leaky(long, far),
    101,
    20,
  );
  assert.ok(ratio > 1.5, `the leaky comparison was not caught (ratio ${ratio.toFixed(2)})`);
});
