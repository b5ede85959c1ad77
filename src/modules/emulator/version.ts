import { migrations } from '../../../migrations/index.ts';
import { PACKAGE_VERSION } from '../../kernel/version.ts';

/** The version of this server, from package.json. */
export const APP_VERSION: string = PACKAGE_VERSION;

/** The schema this server runs: the name of its latest migration. */
export const SCHEMA_VERSION: string = Object.keys(migrations).at(-1) ?? 'none';
