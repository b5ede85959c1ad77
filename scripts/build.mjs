#!/usr/bin/env node
// `npm run build`: compiles src/ and migrations/ to dist/ (JavaScript, type declarations, source
// maps) with tsc, and copies the plain JavaScript files tsc does not emit (the SQLite checkpointer's
// worker). `npm pack` runs it first (prepack). Shipped data (catalog/, sandbox/, docs/) stays where
// it is and is found from the package root.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dist = path.join(root, 'dist');
const started = Date.now();
fs.rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (result.status !== 0) {
  console.error('build: tsc failed');
  process.exit(result.status ?? 1);
}
let copied = 0;
const copy = (dir) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) copy(p);
    else if (e.name.endsWith('.mjs')) {
      const to = path.join(dist, path.relative(root, p));
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(p, to);
      copied++;
    }
  }
};
copy(path.join(root, 'src'));
const files = fs.readdirSync(dist, { recursive: true }).filter((f) => String(f).endsWith('.js')).length;
console.log(
  `build: ${files} JavaScript files and ${copied} copied worker file(s) in dist/ (${((Date.now() - started) / 1000).toFixed(1)} s)`,
);
