#!/usr/bin/env node
// In a checkout (the TypeScript sources are beside this file): run them through tsx, no build needed.
// Installed from the package (only the build ships): run the compiled JavaScript.
import fs from 'node:fs';

const sources = new URL('../src/cli/entry.ts', import.meta.url);
if (fs.existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(sources.href);
} else {
  await import('../dist/src/cli/entry.js');
}
