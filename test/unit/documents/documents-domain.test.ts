import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, csvText } from '../../../src/modules/documents/domain/csv.ts';
import { cancellable, jobAt, nextStageOf, type JobFacts } from '../../../src/modules/documents/domain/status.ts';
import { checkDownload, signDownload } from '../../../src/modules/documents/domain/signing.ts';
import { decimal, pdfMoney } from '../../../src/modules/documents/index.ts';

const job: JobFacts = { createdAt: 1_000, startsAt: 6_000, endsAt: 31_000, cancelledAt: null, outcome: null, outcomeAt: null };

test('a job: IN_QUEUE, IN_PROGRESS at its start, due for its outcome at its end; then what was written', () => {
  assert.deepEqual(jobAt(job, 5_999), { status: 'IN_QUEUE', processingStartAt: null, processingEndAt: null, dueAt: null });
  assert.deepEqual(jobAt(job, 6_000), { status: 'IN_PROGRESS', processingStartAt: 6_000, processingEndAt: null, dueAt: null });
  assert.equal(jobAt(job, 40_000).dueAt, 31_000);
  assert.equal(jobAt(job, 40_000).status, 'IN_PROGRESS');
  const done = { ...job, outcome: 'DONE' as const, outcomeAt: 31_000 };
  assert.deepEqual(jobAt(done, 40_000), { status: 'DONE', processingStartAt: 6_000, processingEndAt: 31_000, dueAt: null });
  const cancelled = { ...job, cancelledAt: 3_000 };
  assert.deepEqual(jobAt(cancelled, 40_000), { status: 'CANCELLED', processingStartAt: null, processingEndAt: 3_000, dueAt: null });
  // Before the instant it was cancelled at, it was still queued.
  assert.equal(jobAt(cancelled, 2_000).status, 'IN_QUEUE');
});

test('a job under overrides: manual holds it, forcing moves it; nextStageOf names what forcing reaches', () => {
  const manual = { manualSince: 2_000 };
  assert.equal(jobAt(job, 100_000, manual).status, 'IN_QUEUE');
  assert.equal(nextStageOf(job, 100_000, manual), 'IN_PROGRESS');
  const forced = { manualSince: 2_000, forced: [{ stage: 'IN_PROGRESS' as const, at: 50_000 }] };
  assert.equal(jobAt(job, 60_000, forced).processingStartAt, 50_000);
  assert.equal(nextStageOf(job, 60_000, forced), 'DONE');
  assert.equal(jobAt(job, 70_000, { ...forced, forced: [...forced.forced, { stage: 'DONE', at: 70_000 }] }).dueAt, 70_000);
  assert.equal(nextStageOf({ ...job, outcome: 'FATAL', outcomeAt: 10_000 }, 20_000), null);
  assert.deepEqual((['IN_QUEUE', 'IN_PROGRESS', 'DONE', 'FATAL', 'CANCELLED'] as const).map(cancellable), [
    true,
    true,
    false,
    false,
    false,
  ]);
});

test('CSV: RFC 4180 quoting, CRLF, empty nulls, rows as long as the header', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField(null), '');
  assert.equal(csvField(12.5), '12.5');
  assert.equal(csvText(['a', 'b'], [['1', null]]), 'a,b\r\n1,\r\n');
  assert.throws(() => csvText(['a', 'b'], [['1']]), /a row has 1 fields/);
});

test('download signatures: bound to the document and the expiry; expired, altered and malformed refused', () => {
  const sig = signDownload('k', 'doc-1', 1_000);
  assert.deepEqual(checkDownload('k', 'doc-1', '1000', sig, 999_999), { ok: true });
  assert.deepEqual(checkDownload('k', 'doc-1', '1000', sig, 1_000_001), { ok: false, reason: 'expired' });
  assert.deepEqual(checkDownload('k', 'doc-2', '1000', sig, 0), { ok: false, reason: 'signature' });
  assert.deepEqual(checkDownload('k', 'doc-1', '1001', sig, 0), { ok: false, reason: 'signature' });
  assert.deepEqual(checkDownload('other', 'doc-1', '1000', sig, 0), { ok: false, reason: 'signature' });
  for (const [e, s] of [
    ['1000', undefined],
    [undefined, sig],
    ['-1', sig],
    ['1000', sig.toUpperCase()],
    [['1000'], sig],
  ] as const)
    assert.equal(checkDownload('k', 'doc-1', e, s, 0).ok, false);
});

test('amounts: exact decimals in the currency\u2019s digits; the PDFs group them and name the currency', () => {
  assert.equal(decimal(123456, 'USD'), '1234.56');
  assert.equal(decimal(-5, 'USD'), '-0.05');
  assert.equal(decimal(0, 'EUR'), '0.00');
  assert.equal(decimal(1200, 'JPY'), '1200');
  assert.equal(pdfMoney(123456789, 'USD'), 'USD 1,234,567.89');
  assert.equal(pdfMoney(-1200, 'JPY'), 'JPY -1,200');
});
