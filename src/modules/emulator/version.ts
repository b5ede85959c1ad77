import fs from 'node:fs';
import { migrations } from '../../../migrations/index.ts';

/** The version of this server, from package.json. */
export const APP_VERSION: string = (
  JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** The schema this server runs: the name of its latest migration. */
export const SCHEMA_VERSION: string = Object.keys(migrations).at(-1) ?? 'none';
