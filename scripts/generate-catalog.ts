#!/usr/bin/env -S npx tsx
/**
 * Writes a synthetic catalog of N products as JSON Lines (the import format), for load and scale
 * tests: the sample merchants, then N business-supply products with 1-5 offers each.
 *
 *   npx tsx scripts/generate-catalog.ts 100000 [seed] > data/catalog-100k.jsonl
 */
import { generateCatalog } from '../src/modules/catalog/index.ts';

const count = Number(process.argv[2] ?? '');
if (!Number.isInteger(count) || count < 0) {
  console.error('usage: npx tsx scripts/generate-catalog.ts <count> [seed]');
  process.exit(2);
}
const seed = process.argv[3] ?? 'bizapi';
let buffer = '';
for (const record of generateCatalog(count, seed)) {
  buffer += `${JSON.stringify(record)}\n`;
  if (buffer.length > 1 << 20) {
    if (!process.stdout.write(buffer)) await new Promise((resolve) => process.stdout.once('drain', resolve));
    buffer = '';
  }
}
process.stdout.write(buffer);
