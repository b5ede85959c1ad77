import fs from 'node:fs';
import { packagePath } from './package-root.ts';

/** The package's version, from its package.json (found the same way from the sources and from a build). */
export const PACKAGE_VERSION: string = (JSON.parse(fs.readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
