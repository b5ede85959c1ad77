import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The reference material beside the repository (../shared): Amazon's published models and the
 * datasets. The tests that compare the project with them form the reference suite: they run
 * whenever the material is found, CI requires it (`.ci/run` sets CI=true; REQUIRE_REFERENCE=1 does
 * the same anywhere), and elsewhere they report as skipped, with the reason. Nothing else skips.
 */

const required = (): boolean => Boolean(process.env.CI && process.env.CI !== 'false') || process.env.REQUIRE_REFERENCE === '1';

/** A folder of the reference material: where it is, and the skip reason when it is absent (null when present). */
function locate(envName: string, folder: string): { dir: string; skip: string | false } {
  const dir = process.env[envName]
    ? path.resolve(process.env[envName]!)
    : fileURLToPath(new URL(`../../../shared/${folder}/`, import.meta.url));
  if (fs.existsSync(dir)) return { dir, skip: false };
  const reason = `reference suite: ${folder} not found at ${dir} (clone beside ../shared or set ${envName})`;
  if (required()) throw new Error(`${reason}; CI requires the reference suite to run`);
  return { dir, skip: reason };
}

const models = locate('API_MODELS_DIR', 'api-models');
const datasets = locate('DATASETS_DIR', 'datasets');

/** Amazon's published models (Swagger 2.0), read in place; never copied into the repository. */
export const MODELS_DIR = models.dir;
/** `{ skip: reason }` for a test that needs the models: false when they are here. */
export const MODELS_SKIP: string | false = models.skip;
/** The datasets the sample catalog was built from and the relevance judgments. */
export const DATASETS_DIR = datasets.dir;
export const DATASETS_SKIP: string | false = datasets.skip;
