import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildTestApp, type TestApp } from './app.ts';
import { isolatedDatabase } from './isolated.ts';
import type { Config } from '../../src/config/config.ts';

/** Debian's Chromium, driven headless; never a downloaded browser. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const ARTIFACTS = path.resolve('test-artifacts');

export interface E2E {
  app: TestApp;
  browser: Browser;
  baseUrl: string;
  /** Saves a full-page screenshot as test-artifacts/<journey>-<n>-<name>.png. */
  shot(page: Page, name: string): Promise<void>;
}

/** A TCP port that is free now (the server takes it right after). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const a = probe.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface E2EOptions {
  /**
   * Configure the server with its own address as PUBLIC_URL (and PORT), so the absolute URLs the
   * pages show (token URL, base URLs, consent URLs, the demo app's redirect URI) are the ones the
   * browser and curl reach.
   */
  publicUrl?: boolean;
  /** Configuration overrides (for example `seedDemo: true`, which also serves the demo app's callback page). */
  config?: Partial<Config>;
  /**
   * A database of its own (test/support/isolated.ts): for journeys that change what every app on a
   * database shares, such as the virtual clock, which on PostgreSQL the other test files would see.
   */
  isolated?: boolean;
}

/** Starts the real server on a free port and a Chromium; both are closed after the file's tests. */
export async function startE2E(journey: string, options: E2EOptions = {}): Promise<E2E> {
  const port = options.publicUrl ? await freePort() : 0;
  const overrides = { ...(options.publicUrl ? { port, publicUrl: `http://127.0.0.1:${port}` } : {}), ...options.config };
  const app = options.isolated ? await (await isolatedDatabase()).build(overrides) : await buildTestApp(overrides);
  await app.server.listen({ port, host: '127.0.0.1' });
  const address = app.server.server.address();
  if (!address || typeof address === 'string') throw new Error('the server did not report its port');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  after(async () => {
    await browser.close();
  });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  let n = 0;
  return {
    app,
    browser,
    baseUrl: `http://127.0.0.1:${address.port}`,
    shot: async (page, name) => {
      n += 1;
      await page.screenshot({ path: path.join(ARTIFACTS, `${journey}-${String(n).padStart(2, '0')}-${name}.png`), fullPage: true });
    },
  };
}

/** Every visible form control of the page has a label (the portal's accessibility rule). */
export async function assertLabelled(page: Page): Promise<void> {
  // A string expression: the DOM types are not part of this (Node) project's compilation.
  const unlabelled = (await page.evaluate(
    `[...document.querySelectorAll('input, select, textarea')].filter((el) => el.type !== 'hidden' && el.labels.length === 0).map((el) => el.name)`,
  )) as string[];
  assert.deepEqual(unlabelled, [], `unlabelled controls on ${page.url()}`);
}

/** Exchanges a grant code or a refresh token at the token endpoint, as an app's backend would. */
export async function tokenRequest(
  baseUrl: string,
  params: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${baseUrl}/auth/o2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** What a page watcher saw: console errors, uncaught page errors and failed requests (network failures and HTTP 4xx/5xx). */
export interface PageProblems {
  consoleErrors: string[];
  failedRequests: string[];
}

/**
 * Watches every page of a context for console errors, uncaught exceptions and failed requests.
 * `expected` lists the deliberate failures of the journey (a URL pattern and its status): those are
 * not problems. `assertClean()` fails the test with everything else.
 */
export function watchProblems(
  context: BrowserContext,
  expected: { url: RegExp; status: number }[] = [],
): PageProblems & { assertClean(): void } {
  const problems: PageProblems = { consoleErrors: [], failedRequests: [] };
  const isExpected = (url: string, status: number) => expected.some((e) => e.url.test(url) && e.status === status);
  const watch = (page: Page) => {
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      // Chromium logs a console error for every 4xx/5xx answer; those are judged by their response below.
      if (/^Failed to load resource: the server responded with a status of \d+/.test(msg.text())) return;
      problems.consoleErrors.push(`${page.url()}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.consoleErrors.push(`${page.url()}: ${err.message}`));
    page.on('requestfailed', (request) => {
      // net::ERR_ABORTED is the browser cancelling a request itself (a navigation started before the
      // favicon or a subresource finished loading), not a failure of the server.
      if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
      problems.failedRequests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText ?? 'failed'}`);
    });
    page.on('response', (response) => {
      const status = response.status();
      if (status >= 400 && !isExpected(response.url(), status))
        problems.failedRequests.push(`${response.request().method()} ${response.url()}: HTTP ${status}`);
    });
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return {
    ...problems,
    assertClean() {
      assert.deepEqual(problems.consoleErrors, [], 'no console errors');
      assert.deepEqual(problems.failedRequests, [], 'no failed requests other than the deliberate ones');
    },
  };
}
