// Writes src/modules/registry/checked-models.ts: the model files of the reference folder the
// conformance suite checks the server against (file, the model's own info.version, sha256 prefix).
// Run after the reference suite passes on new models: `npx tsx scripts/record-checked-models.ts [dir]`.
// The reference test test/conformance/checked-models.test.ts fails while the record is out of date.
import fs from 'node:fs';
import path from 'node:path';
import { APIS } from '../src/modules/registry/index.ts';
import { describeModel } from '../src/modules/registry/checked-models.ts';

const dir = path.resolve(process.argv[2] ?? process.env.API_MODELS_DIR ?? '../shared/api-models');
const records = APIS.map((api) => describeModel(api.slug, api.modelFile, fs.readFileSync(path.join(dir, api.modelFile))));
const file = new URL('../src/modules/registry/checked-models.ts', import.meta.url);
const source = fs.readFileSync(file, 'utf8');
const start = source.indexOf('export const CHECKED_MODELS');
const end = source.indexOf('];', start) + 2;
const body = `export const CHECKED_MODELS: readonly CheckedModel[] = ${JSON.stringify(records, null, 2)};`;
fs.writeFileSync(file, source.slice(0, start) + body.replace(/\n\];$/, ',\n];') + source.slice(end));
console.log(`recorded ${records.length} model files from ${dir}`);
