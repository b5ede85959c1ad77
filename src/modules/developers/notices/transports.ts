import { createHmac } from 'node:crypto';
import { amzDate, sha256Hex, signV4 } from './sigv4.ts';

/** How one delivery attempt ended. */
export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  /** Why it failed (never holds the message or a secret). */
  error: string | null;
}

/** A destination ready to send to, its secrets opened. */
export type OpenDestination =
  | { kind: 'webhook'; url: string; signingSecret: string }
  | { kind: 'sqs'; url: string; aws: { accessKeyId: string; secretAccessKey: string; region: string } | null };

/** How long one attempt may take (the lease on a notice is longer). */
export const ATTEMPT_TIMEOUT_MS = 10_000;
/** The header that carries a webhook delivery's signature. */
export const SIGNATURE_HEADER = 'x-bizapi-signature';

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(signing secret, "<t>.<body>")>` (docs/application-management.md). */
export function webhookSignature(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`, 'utf8').digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** The region of an AWS SQS endpoint (`sqs.<region>.amazonaws.com`), else us-east-1. */
export function regionOfQueueUrl(url: string): string {
  const host = new URL(url).hostname;
  return /^sqs\.([a-z0-9-]+)\.amazonaws\.com$/.exec(host)?.[1] ?? /^([a-z0-9-]+)\.queue\.amazonaws\.com$/.exec(host)?.[1] ?? 'us-east-1';
}

const short = (s: string): string => s.replace(/\s+/g, ' ').slice(0, 200);

async function send(url: string, init: RequestInit): Promise<{ status: number; text: string }> {
  // Redirects are not followed: a destination answers itself, or the attempt fails.
  const res = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS) });
  // Only the start of an answer is read (an error code); the rest is dropped.
  const reader = res.body?.getReader();
  let text = '';
  if (reader) {
    const decoder = new TextDecoder();
    while (text.length < 4096) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    await reader.cancel().catch(() => undefined);
  }
  return { status: res.status, text };
}

function failure(err: unknown): AttemptResult {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return { ok: false, statusCode: null, error: `no answer within ${ATTEMPT_TIMEOUT_MS / 1000} s` };
  return { ok: false, statusCode: null, error: short(e.cause?.code ?? e.cause?.message ?? e.message ?? String(err)) };
}

/** POSTs the message to a webhook, signed with its signing secret. */
export async function deliverWebhook(
  d: Extract<OpenDestination, { kind: 'webhook' }>,
  body: string,
  meta: { noticeId: string; type: string },
  now = new Date(),
): Promise<AttemptResult> {
  try {
    const res = await send(d.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'bizapi-notices/1',
        'x-bizapi-notice-id': meta.noticeId,
        'x-bizapi-notice-type': meta.type,
        [SIGNATURE_HEADER]: webhookSignature(d.signingSecret, body, Math.floor(now.getTime() / 1000)),
      },
      body,
    });
    if (res.status >= 200 && res.status < 300) return { ok: true, statusCode: res.status, error: null };
    return { ok: false, statusCode: res.status, error: `the webhook answered ${res.status}` };
  } catch (err) {
    return failure(err);
  }
}

/** SendMessage with SQS's query protocol (POST to the endpoint, form body), SigV4-signed (service `sqs`) when the destination has AWS keys. */
export async function deliverSqs(d: Extract<OpenDestination, { kind: 'sqs' }>, body: string, now = new Date()): Promise<AttemptResult> {
  const form = new URLSearchParams({ Action: 'SendMessage', Version: '2012-11-05', QueueUrl: d.url, MessageBody: body }).toString();
  // Sent to the service endpoint (the queue URL's origin) with QueueUrl in the form: what real SQS,
  // LocalStack and ElasticMQ accept, and the only route of some emulators (sqslite).
  const url = new URL('/', d.url);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
  if (d.aws) {
    const date = amzDate(now);
    const signed = { host: url.host, 'x-amz-date': date, 'content-type': headers['content-type']! };
    headers['x-amz-date'] = date;
    headers.authorization = signV4({
      method: 'POST',
      url,
      headers: signed,
      payloadHash: sha256Hex(form),
      region: d.aws.region,
      service: 'sqs',
      accessKeyId: d.aws.accessKeyId,
      secretAccessKey: d.aws.secretAccessKey,
      amzDate: date,
    });
  }
  try {
    const res = await send(url.href, { method: 'POST', headers, body: form });
    if (res.status === 200 && /MessageId/.test(res.text)) return { ok: true, statusCode: 200, error: null };
    const code = /<Code>([^<]{1,100})<\/Code>/.exec(res.text)?.[1];
    return { ok: false, statusCode: res.status, error: code ? `SQS answered ${res.status} ${code}` : `SQS answered ${res.status}` };
  } catch (err) {
    return failure(err);
  }
}
