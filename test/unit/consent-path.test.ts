import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isConsentPath } from '../../src/modules/oauth/consent.routes.ts';

// Where "Sign in with another account" may return to: this server's consent URLs only, and only
// what a Location header can carry (a control character would fail the redirect after sign-out).
test('only consent URLs of this server in printable ASCII are places to return to', () => {
  for (const ok of [
    '/b2b/abws/oauth',
    '/b2b/abws/oauth?applicationId=amzn1.sp.solution.x&redirect_uri=https%3A%2F%2Fa.example%2Fcb&state=s',
    '/mp/de/b2b/abws/oauth?applicationId=x',
  ])
    assert.ok(isConsentPath(ok), ok);
  for (const bad of [
    undefined,
    '',
    'https://evil.example/b2b/abws/oauth',
    '//evil.example/b2b/abws/oauth',
    '/b2b/abws/oauth/../../portal',
    '/b2b/abws/oauth?x=\\evil',
    '/b2b/abws/oauth?x=a b',
    '/b2b/abws/oauth?x=\x01',
    '/b2b/abws/oauth?x=\x7f',
    '/b2b/abws/oauth?x=\u0100',
    '/b2b/abws/oauth?x=\r\nLocation: https://evil.example',
  ])
    assert.ok(!isConsentPath(bad), JSON.stringify(bad));
});
