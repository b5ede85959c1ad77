import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

// Test destinations: an SQS-compatible server (sqslite, query protocol) and a webhook receiver.

const require = createRequire(import.meta.url);

export interface SqsServer {
  readonly endpoint: string;
  createQueue(name: string): Promise<string>;
  /** Receives up to 10 messages (waiting up to `waitSeconds`), deleting none. */
  receive(queueUrl: string, waitSeconds?: number): Promise<string[]>;
  close(): Promise<void>;
}

const xmlText = (s: string): string =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/&amp;/g, '&');

export async function startSqs(): Promise<SqsServer> {
  const sqslite = require('sqslite') as (opts: object) => {
    listen(port: number, host: string): Promise<unknown>;
    server: http.Server;
    close(): Promise<void>;
  };
  const srv = sqslite({ logger: false });
  await srv.listen(0, '127.0.0.1');
  const endpoint = `http://127.0.0.1:${(srv.server.address() as AddressInfo).port}`;
  const post = async (url: string, params: Record<string, string>) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ Version: '2012-11-05', ...params }),
    });
    return { status: res.status, text: await res.text() };
  };
  return {
    endpoint,
    async createQueue(name) {
      const res = await post(`${endpoint}/`, { Action: 'CreateQueue', QueueName: name });
      const url = /<QueueUrl>([^<]+)<\/QueueUrl>/.exec(res.text)?.[1];
      if (!url) throw new Error(`CreateQueue: ${res.status} ${res.text}`);
      // sqslite knows its queues by URLs on `localhost` only.
      return url.replace(/^http:\/\/[^/]+/, `http://localhost:${new URL(endpoint).port}`);
    },
    async receive(queueUrl, waitSeconds = 0) {
      const res = await post(`${endpoint}/`, {
        Action: 'ReceiveMessage',
        QueueUrl: queueUrl,
        MaxNumberOfMessages: '10',
        WaitTimeSeconds: String(waitSeconds),
      });
      return [...res.text.matchAll(/<Body>([\s\S]*?)<\/Body>/g)].map((m) => xmlText(m[1]!));
    },
    close: () => srv.close(),
  };
}

export interface Delivery {
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly received: Delivery[];
  /** The status the receiver answers (500: the destination is down). */
  status: number;
  /** Resolves with the n-th delivery (1-based) once it arrives. */
  waitFor(n: number, timeoutMs?: number): Promise<Delivery>;
  close(): Promise<void>;
}

export async function startWebhook(port = 0): Promise<WebhookReceiver> {
  const received: Delivery[] = [];
  const state = { status: 200 };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      if (state.status < 300) received.push({ headers: req.headers, body });
      res.writeHead(state.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/bizapi`;
  return {
    url,
    received,
    get status() {
      return state.status;
    },
    set status(s: number) {
      state.status = s;
    },
    async waitFor(n, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < n) {
        if (Date.now() > deadline) throw new Error(`delivery ${n} did not arrive within ${timeoutMs} ms (got ${received.length})`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return received[n - 1]!;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Waits until `check` returns a value other than undefined. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}
