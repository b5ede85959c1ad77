import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of bizapi's own package.json: the checkout when run from the sources, the installed
 * package when run from the build (`dist/` sits one level deeper than `src/`, so paths relative to a
 * module file would differ between the two). Shipped files (sample catalog, sandbox scenarios, docs)
 * are found from here.
 */
export const PACKAGE_ROOT: string = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file) && (JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string }).name === 'bizapi') return dir;
    if (path.dirname(dir) === dir) throw new Error(`bizapi: no package.json of bizapi above ${from}`);
  }
}

/** A path inside the package (for example `packagePath('catalog', 'sample-catalog.jsonl')`). */
export const packagePath = (...parts: string[]): string => path.join(PACKAGE_ROOT, ...parts);
