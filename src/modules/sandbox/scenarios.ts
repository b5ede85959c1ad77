import fs from 'node:fs/promises';
import path from 'node:path';
import { newId } from '../../kernel/ids.ts';
import { packagePath } from '../../kernel/package-root.ts';
import { findOperation } from '../registry/index.ts';
import { compareScenarios, matchRequest, type MatchResult, type QueryDeclaration, type SandboxRequest } from './domain/match.ts';
import {
  parseScenario,
  parseScenarioFile,
  type OperationLookup,
  type Scenario,
  type ScenarioDefinition,
  type ScenarioOrigin,
} from './domain/scenario.ts';

/** The scenario files shipped with the project (`sandbox/scenarios/*.json`). */
export const SHIPPED_SCENARIO_DIR = packagePath('sandbox', 'scenarios') + path.sep;

/** A scenario file that was not loaded, and why. */
export interface ScenarioProblem {
  readonly path: string;
  readonly reason: string;
}

const lookup: OperationLookup = (operationId) => findOperation(operationId);

/** The loaded scenarios, by operation, each list kept in matching precedence. */
export class ScenarioSet {
  private readonly byOperation = new Map<string, Scenario[]>();
  private seq = 0;

  /** Adds a checked definition; returns the loaded scenario. */
  add(definition: ScenarioDefinition, origin: ScenarioOrigin, file: string | null, id?: string): Scenario {
    const seq = ++this.seq;
    const scenario: Scenario = Object.freeze({ ...definition, id: id ?? newId('scn'), origin, file, seq });
    const list = this.byOperation.get(scenario.operationId) ?? [];
    list.push(scenario);
    list.sort(compareScenarios);
    this.byOperation.set(scenario.operationId, list);
    return scenario;
  }

  /** Removes a scenario by id; true when it was there. */
  remove(id: string): boolean {
    for (const [operationId, list] of this.byOperation) {
      const i = list.findIndex((s) => s.id === id);
      if (i < 0) continue;
      list.splice(i, 1);
      if (list.length === 0) this.byOperation.delete(operationId);
      return true;
    }
    return false;
  }

  /** The scenarios of one operation, in matching precedence. */
  forOperation(operationId: string): readonly Scenario[] {
    return this.byOperation.get(operationId) ?? [];
  }

  has(operationId: string): boolean {
    return this.byOperation.has(operationId);
  }

  /** The operations that have at least one scenario. */
  operationIds(): string[] {
    return [...this.byOperation.keys()];
  }

  /** Every scenario, by operation and precedence. */
  all(): Scenario[] {
    return [...this.byOperation.values()].flat();
  }

  get size(): number {
    let n = 0;
    for (const list of this.byOperation.values()) n += list.length;
    return n;
  }
}

/** What loadScenarios read: the set, the files it used, and the files it could not use. */
export interface LoadedScenarios {
  readonly scenarios: ScenarioSet;
  readonly files: readonly { readonly path: string; readonly count: number }[];
  readonly problems: readonly ScenarioProblem[];
}

async function listJsonFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => path.join(dir, e.name))
    .sort();
}

async function loadDirectory(set: ScenarioSet, dir: string, origin: ScenarioOrigin, files: LoadedScenarios['files'][number][], problems: ScenarioProblem[]): Promise<void> {
  let paths: string[];
  try {
    paths = await listJsonFiles(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    problems.push({ path: dir, reason: code === 'ENOENT' ? 'directory not found' : code === 'ENOTDIR' ? 'not a directory' : `cannot read directory (${code ?? 'error'})` });
    return;
  }
  for (const file of paths) {
    let json: unknown;
    try {
      json = JSON.parse(await fs.readFile(file, 'utf8'));
    } catch (err) {
      problems.push({ path: file, reason: err instanceof SyntaxError ? `invalid JSON: ${err.message}` : 'cannot read file' });
      continue;
    }
    const parsed = parseScenarioFile(json, lookup);
    if (parsed.problems.length > 0) {
      for (const reason of parsed.problems) problems.push({ path: file, reason });
      continue;
    }
    parsed.scenarios.forEach((definition, i) => set.add(definition, origin, file, `${origin}/${path.basename(file)}#${i + 1}`));
    files.push({ path: file, count: parsed.scenarios.length });
  }
}

/**
 * Loads the shipped scenarios plus every `*.json` file of an operator directory (the config's
 * `sandboxScenarioDir`). A file that cannot be used is skipped and reported in `problems`.
 */
export async function loadScenarios(dir?: string | null, options: { shippedDir?: string } = {}): Promise<LoadedScenarios> {
  const set = new ScenarioSet();
  const files: LoadedScenarios['files'][number][] = [];
  const problems: ScenarioProblem[] = [];
  await loadDirectory(set, options.shippedDir ?? SHIPPED_SCENARIO_DIR, 'shipped', files, problems);
  if (dir) await loadDirectory(set, path.resolve(dir), 'operator', files, problems);
  return { scenarios: set, files, problems };
}

/** Adds one scenario at run time (same shape as a file entry); it takes precedence over file scenarios. */
export function addScenario(set: ScenarioSet, input: unknown): { ok: true; scenario: Scenario } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const definition = parseScenario(input, '', set.size + 1, lookup, problems);
  if (!definition) return { ok: false, problems: problems.length > 0 ? problems : ['invalid scenario'] };
  return { ok: true, scenario: set.add(definition, 'runtime', null) };
}

/** Removes a scenario (of any origin) by id; true when it was there. */
export const removeScenario = (set: ScenarioSet, id: string): boolean => set.remove(id);

/** Matches a request against the scenarios of one operation (precedence in docs/sandbox.md). */
export function matchScenario(set: ScenarioSet, operationId: string, request: SandboxRequest, matching: SandboxMatching = 'defaults'): MatchResult<Scenario> {
  return matchRequest(set.forOperation(operationId), request, { query: queryDeclarations(operationId), literal: matching === 'literal' });
}

/** How the sandbox compares requests with scenarios: with the model's defaults and boolean spellings, or literally. */
export type SandboxMatching = 'defaults' | 'literal';

const declarations = new Map<string, ReadonlyMap<string, QueryDeclaration>>();

/** An operation's query parameters as the matcher needs them: booleans, and defaults in wire form. */
function queryDeclarations(operationId: string): ReadonlyMap<string, QueryDeclaration> {
  let found = declarations.get(operationId);
  if (!found) {
    const params = findOperation(operationId)?.parameters.filter((p) => p.in === 'query') ?? [];
    found = new Map(params.map((p) => [p.name, { boolean: p.type === 'boolean', ...(p.default !== undefined ? { default: String(p.default) } : {}) }]));
    declarations.set(operationId, found);
  }
  return found;
}
