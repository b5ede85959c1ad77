import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { ERROR_CODES } from '../../src/kernel/errors.ts';

test('docs/errors.md has one line for every error code, with its status', () => {
  const doc = fs.readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const rows = new Map<string, number>();
  for (const m of doc.matchAll(/^\| `([A-Za-z_]+)` \| (\d{3}) \|/gm)) rows.set(m[1]!, Number(m[2]));
  for (const [code, status] of Object.entries(ERROR_CODES)) {
    assert.equal(rows.get(code), status, `docs/errors.md row for ${code}`);
  }
  const oauth = [
    'invalid_grant',
    'invalid_client',
    'invalid_scope',
    'unauthorized_client',
    'unsupported_grant_type',
    'invalid_request',
    'server_error',
  ];
  for (const code of rows.keys()) assert.ok(code in ERROR_CODES || oauth.includes(code), `${code} is documented but is not a code`);
});
