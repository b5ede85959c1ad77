import fs from 'node:fs';

/** The package's version, from its package.json (two folders up from here, in the sources and in a build alike). */
export const PACKAGE_VERSION: string = (
  JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
