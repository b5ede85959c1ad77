import fs from 'node:fs';
import path from 'node:path';
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildTestApp, type TestApp } from './app.ts';

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

/** Starts the real server on a free port and a Chromium; both are closed after the file's tests. */
export async function startE2E(journey: string): Promise<E2E> {
  const app = await buildTestApp();
  await app.server.listen({ port: 0, host: '127.0.0.1' });
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
