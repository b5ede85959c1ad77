import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ApiName, OperationId } from '../../src/modules/registry/index.ts';
import type { TestApp } from './app.ts';
import type { gatewayWorld } from './gateway.ts';

/**
 * One file per built API under test/conformance/examples/<slug>.ts: the calls whose answers the
 * model-conformance runner validates, and the bodies the fuzz suite starts from. Nothing else names
 * the built APIs: the runner and the fuzz suite loop over these files.
 */

/** An answer as the runner sees it. */
export interface Answer {
  statusCode: number;
  body: string;
  headers: Record<string, unknown>;
  json(): unknown;
}

/** A call to one operation on the NA production base URL, with a token that has every role and privileged field. */
export interface ExampleCall {
  /** The path after the base URL, with its query string (`/products?productRegion=US…`). */
  path: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A JSON value (sent as JSON) or a raw string. */
  body?: unknown;
  contentType?: string;
}

/** What an example is given: the app, its gateway world, and calls whose answers are checked against the model. */
export interface ExampleHarness {
  readonly app: TestApp;
  readonly world: Awaited<ReturnType<typeof gatewayWorld>>;
  /** Calls the operation and returns the answer, unchecked. */
  call(operationId: OperationId, request: ExampleCall): Promise<Answer>;
  /** Calls the operation and asserts that the answer conforms to its model (status and body), then returns it. */
  conforms(operationId: OperationId, request: ExampleCall, what: string): Promise<Answer>;
}

/** The examples of one API. */
export interface ApiExamples {
  readonly api: ApiName;
  /** Puts what the examples need into the world (e.g. a catalog); runs once, before them. */
  prepare?(h: ExampleHarness): Promise<void>;
  readonly examples: readonly { readonly name: string; run(h: ExampleHarness): Promise<void> }[];
  /** JSON bodies the fuzz suite mutates, per body-taking operation (their fields filled from the world). */
  fuzzBodies?(app: TestApp): Promise<Partial<Record<OperationId, readonly unknown[]>>>;
}

const EXAMPLES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../conformance/examples');

/** Every examples file, by API. */
export async function loadApiExamples(): Promise<Map<ApiName, ApiExamples>> {
  const out = new Map<ApiName, ApiExamples>();
  for (const file of fs
    .readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    const mod = (await import(pathToFileURL(path.join(EXAMPLES_DIR, file)).href)) as { default?: ApiExamples };
    if (!mod.default) throw new Error(`test/conformance/examples/${file} has no default export of ApiExamples`);
    if (out.has(mod.default.api)) throw new Error(`two examples files for ${mod.default.api}`);
    out.set(mod.default.api, mod.default);
  }
  return out;
}
