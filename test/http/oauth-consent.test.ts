import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, unique } from '../support/app.ts';
import { makeApprovedDeveloper, makeBusiness, makePublishedApp, REDIRECT } from '../support/world.ts';
import { consentCode, consentUrl, decide, field, signInBusinessUser, tokenRequest } from '../support/oauth.ts';

const CANT = "We're sorry. We can't connect this account.";

async function setup() {
  const app = await buildTestApp();
  const world = await makeBusiness(app);
  const dev = await makeApprovedDeveloper(app, undefined, world.business.id);
  const published = await makePublishedApp(app, dev.id);
  return { app, world, dev, published };
}

test("refusals show the can't-connect page with the reason and never redirect", async () => {
  const { app, dev, published } = await setup();
  const { app: sandbox } = await app.services.apps.create(dev.id, {
    name: 'Sbx',
    type: 'sandbox',
    visibility: 'public',
    roles: ['Business Product Catalog'],
    redirectUris: [REDIRECT],
  });
  const { app: noRole } = await app.services.apps.create(dev.id, {
    name: 'NoRole',
    type: 'production',
    visibility: 'public',
    roles: [],
    redirectUris: [REDIRECT],
  });
  await app.services.apps.submitForListing(dev.id, noRole.id);
  const [rev] = await app.services.reviews.list({ appId: noRole.id, status: 'pending' });
  await app.services.reviews.decide('op', rev!.id, true, null);
  const id = published.app.applicationId;
  const cases: [string, RegExp][] = [
    [consentUrl('amzn1.sp.solution.00000000-0000-4000-a000-000000000000', REDIRECT), /does not match any registered app/],
    ['/b2b/abws/oauth?redirect_uri=x&state=1', /does not match any registered app/],
    [consentUrl(id, REDIRECT + '/'), /redirect_uri does not exactly match/],
    [consentUrl(id, REDIRECT.toUpperCase()), /redirect_uri does not exactly match/],
    [consentUrl(id, REDIRECT.slice(0, -1)), /redirect_uri does not exactly match/],
    [consentUrl(id, REDIRECT + '?x=1'), /redirect_uri does not exactly match/],
    [consentUrl(sandbox.applicationId, REDIRECT), /sandbox app/],
    [consentUrl(noRole.applicationId, REDIRECT), /no Amazon Business role/],
  ];
  for (const [url, reason] of cases) {
    const res = await app.server.inject({ method: 'GET', url });
    assert.equal(res.statusCode, 400, url);
    assert.equal(res.headers.location, undefined);
    assert.ok(res.body.includes(CANT.replace(/'/g, '&#39;')), url);
    assert.match(res.body, reason);
  }
});

test('Allow redirects with the code and the unchanged state; Deny with access_denied', async () => {
  const { app, world, published } = await setup();
  const state = 'a b/c?d=e&f=ü';
  const url = consentUrl(published.app.applicationId, REDIRECT, state);
  const signed = await signInBusinessUser(app, url, world.admin.email, world.password);
  assert.equal(signed.status, 303);
  assert.ok(signed.cookie);
  const page = await app.server.inject({ method: 'GET', url, headers: { cookie: signed.cookie } });
  assert.match(page.body, new RegExp(published.app.name));
  assert.match(page.body, /Business Product Catalog/);
  assert.match(page.body, new RegExp(world.business.name));
  assert.match(page.body, /United States/);
  const allow = await decide(app, url, signed.cookie, 'allow');
  assert.equal(allow.statusCode, 302);
  const loc = new URL(String(allow.headers.location));
  assert.equal(`${loc.origin}${loc.pathname}`, REDIRECT);
  assert.equal(loc.searchParams.get('state'), state);
  assert.match(loc.searchParams.get('code') ?? '', /^AN/);
  const deny = await decide(app, url, signed.cookie, 'deny');
  const dloc = new URL(String(deny.headers.location));
  assert.equal(dloc.searchParams.get('error'), 'access_denied');
  assert.equal(dloc.searchParams.get('state'), state);
  assert.equal(dloc.searchParams.get('code'), null);
});

test('without redirect_uri the first registered URI is used', async () => {
  const { app, world, published } = await setup();
  const url = `/b2b/abws/oauth?applicationId=${published.app.applicationId}&state=s`;
  const { cookie } = await signInBusinessUser(app, url, world.admin.email, world.password);
  const res = await decide(app, url, cookie, 'allow');
  assert.equal(String(res.headers.location).split('?')[0], REDIRECT);
});

test('non-admins and admins of only some legal entities cannot proceed', async () => {
  const { app, world, published } = await setup();
  const url = consentUrl(published.app.applicationId, REDIRECT);
  for (const user of [world.buyer, world.partial]) {
    const { cookie } = await signInBusinessUser(app, url, user.email, world.password);
    const page = await app.server.inject({ method: 'GET', url, headers: { cookie } });
    assert.equal(page.statusCode, 403);
    assert.match(page.body, user === world.buyer ? /Only an administrator/ : /administrator of all legal entities/);
    assert.equal(page.body.includes('name="decision"'), false);
    const forced = await decide(app, url, cookie, 'allow');
    assert.equal(forced.statusCode, 403);
    const posted = await app.server.inject({
      method: 'POST',
      url: '/b2b/abws/oauth/decision',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `applicationId=${published.app.applicationId}&redirect_uri=${encodeURIComponent(REDIRECT)}&marketplace=US&decision=allow&csrf=x`,
    });
    assert.equal(posted.statusCode, 403);
    assert.equal(posted.headers.location, undefined);
  }
  assert.equal((await app.services.oauth.listAuthorizations({ businessId: world.business.id })).length, 0);
});

test('wrong password, CSRF and brute force on the sign-in form', async () => {
  const { app, world, published } = await setup();
  const url = consentUrl(published.app.applicationId, REDIRECT);
  const wrong = await signInBusinessUser(app, url, world.admin.email, 'not-the-password');
  assert.equal(wrong.status, 401);
  assert.equal(wrong.cookie, '');
  const noCsrf = await app.server.inject({
    method: 'POST',
    url: '/b2b/abws/signin',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `email=${encodeURIComponent(world.admin.email)}&password=${world.password}&csrf=abc`,
  });
  assert.equal(noCsrf.statusCode, 403);
  assert.equal(noCsrf.cookies.length, 0);
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) statuses.push((await signInBusinessUser(app, url, world.admin.email, 'wrong-password-x')).status);
  assert.equal(statuses.at(-1), 429);
  const { cookie } = await signInBusinessUser(app, url, world.admin.email, world.password);
  const badCsrf = await app.server.inject({
    method: 'POST',
    url: '/b2b/abws/oauth/decision',
    headers: { cookie: cookie || 'bizapi_bu=x', 'content-type': 'application/x-www-form-urlencoded' },
    payload: `applicationId=${published.app.applicationId}&redirect_uri=${encodeURIComponent(REDIRECT)}&marketplace=US&decision=allow&csrf=forged`,
  });
  assert.ok([401, 403].includes(badCsrf.statusCode));
  assert.equal(badCsrf.headers.location, undefined);
});

test('session cookies are HttpOnly and SameSite, and Secure behind https', async () => {
  const app = await buildTestApp({ publicUrl: 'https://bizapi.example.com' });
  const world = await makeBusiness(app);
  const dev = await makeApprovedDeveloper(app);
  const { app: client } = await makePublishedApp(app, dev.id);
  const url = consentUrl(client.applicationId, REDIRECT);
  const page = await app.server.inject({ method: 'GET', url });
  const csrfCookie = page.cookies.find((c) => c.name === 'bizapi_csrf')!;
  assert.equal(csrfCookie.secure, true);
  assert.equal(csrfCookie.httpOnly, true);
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const res = await app.server.inject({
    method: 'POST',
    url: '/b2b/abws/signin',
    headers: { cookie: `bizapi_csrf=${csrfCookie.value}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      csrf,
      email: world.admin.email,
      password: world.password,
      applicationId: client.applicationId,
      redirect_uri: REDIRECT,
      marketplace: 'US',
    }).toString(),
  });
  const session = res.cookies.find((c) => c.name === 'bizapi_bu')!;
  assert.equal(session.httpOnly, true);
  assert.equal(session.secure, true);
  assert.equal(session.sameSite, 'Lax');
});

test('tokens are per marketplace region and record the region of the consent URL', async () => {
  const { app, world, published } = await setup();
  const na = await consentCode(app, published.app.applicationId, REDIRECT, world.admin.email, world.password);
  const eu = await consentCode(app, published.app.applicationId, REDIRECT, world.admin.email, world.password, '/mp/uk');
  const exchange = (code: string) =>
    tokenRequest(app, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: published.app.clientId,
      client_secret: published.clientSecret,
    });
  const tNa = (await exchange(na)).body;
  const tEu = (await exchange(eu)).body;
  assert.notEqual(tNa.refresh_token, tEu.refresh_token);
  const gNa = await app.services.oauth.lookupAccessToken(tNa.access_token);
  const gEu = await app.services.oauth.lookupAccessToken(tEu.access_token);
  assert.ok(gNa.status === 'valid' && gEu.status === 'valid');
  assert.equal(gNa.grant.region, 'NA');
  assert.equal(gEu.grant.region, 'EU');
  const auths = await app.services.oauth.listAuthorizations({ businessId: world.business.id });
  assert.deepEqual(auths.map((a) => a.region).sort(), ['EU', 'NA']);
  // A marketplace the business does not operate in is refused.
  const url = consentUrl(published.app.applicationId, REDIRECT, 's', '', '/mp/jp');
  const { cookie } = await signInBusinessUser(app, consentUrl(published.app.applicationId, REDIRECT), world.admin.email, world.password);
  const jp = await app.server.inject({ method: 'GET', url, headers: { cookie } });
  assert.equal(jp.statusCode, 403);
  assert.match(jp.body, /does not operate in this marketplace/);
  // Reached through a mapped Amazon host name.
  const host = await app.server.inject({
    method: 'GET',
    url: consentUrl(published.app.applicationId, REDIRECT),
    headers: { host: 'www.amazon.co.uk', cookie },
  });
  assert.match(host.body, /United Kingdom/);
});

test('the role snapshot: a role added later needs a new consent; a removed role goes at once', async () => {
  const { app, world, dev, published } = await setup();
  const exchange = async (code: string) =>
    (
      await tokenRequest(app, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        client_id: published.app.clientId,
        client_secret: published.clientSecret,
      })
    ).body;
  const old = await exchange(await consentCode(app, published.app.applicationId, REDIRECT, world.admin.email, world.password));
  await app.services.apps.update(dev.id, published.app.id, { roles: ['Business Product Catalog', 'Amazon Business Analytics'] });
  await app.services.apps.submitForListing(dev.id, published.app.id);
  const [rev] = await app.services.reviews.list({ appId: published.app.id, status: 'pending' });
  // Before the relisting is approved, new consents still get the listed roles only.
  const before = await exchange(await consentCode(app, published.app.applicationId, REDIRECT, world.admin.email, world.password));
  await app.services.reviews.decide('op', rev!.id, true, null);
  const fresh = await exchange(await consentCode(app, published.app.applicationId, REDIRECT, world.admin.email, world.password));
  const roles = async (t: string) => {
    const g = await app.services.oauth.lookupAccessToken(t);
    return g.status === 'valid' ? [...g.grant.roles].sort() : g.status;
  };
  assert.deepEqual(await roles(old.access_token), ['Business Product Catalog']);
  assert.deepEqual(await roles(before.access_token), ['Business Product Catalog']);
  assert.deepEqual(await roles(fresh.access_token), ['Amazon Business Analytics', 'Business Product Catalog']);
  await app.services.apps.update(dev.id, published.app.id, { roles: ['Amazon Business Analytics'] });
  assert.deepEqual(await roles(fresh.access_token), ['Amazon Business Analytics']);
  assert.deepEqual(await roles(old.access_token), []);
});

test("draft apps need version=beta and their developer's own business; private apps are self-authorized", async () => {
  const { app, world, dev } = await setup();
  const { app: draft } = await app.services.apps.create(dev.id, {
    name: 'Draft',
    type: 'production',
    visibility: 'public',
    roles: ['Business Product Catalog'],
    redirectUris: [REDIRECT],
  });
  const plain = await app.server.inject({ method: 'GET', url: consentUrl(draft.applicationId, REDIRECT) });
  assert.equal(plain.statusCode, 400);
  assert.match(plain.body, /not published/);
  const betaUrl = consentUrl(draft.applicationId, REDIRECT, 's', '&version=beta');
  const { cookie } = await signInBusinessUser(app, betaUrl, world.admin.email, world.password);
  const ok = await decide(app, betaUrl, cookie, 'allow');
  assert.equal(ok.statusCode, 302);
  // Another business cannot use the beta flow, nor authorize a private app.
  const other = await makeBusiness(app);
  const { cookie: otherCookie } = await signInBusinessUser(app, betaUrl, other.admin.email, other.password);
  assert.equal((await app.server.inject({ method: 'GET', url: betaUrl, headers: { cookie: otherCookie } })).statusCode, 403);
  const { app: priv } = await app.services.apps.create(dev.id, {
    name: 'Private',
    type: 'production',
    visibility: 'private',
    roles: ['Business Product Catalog'],
    redirectUris: [REDIRECT],
  });
  const privUrl = consentUrl(priv.applicationId, REDIRECT);
  const denied = await app.server.inject({ method: 'GET', url: privUrl, headers: { cookie: otherCookie } });
  assert.equal(denied.statusCode, 403);
  assert.match(denied.body, /private app/);
  assert.equal((await decide(app, privUrl, cookie, 'allow')).statusCode, 302);
});

test('authorize on behalf (admin API and CLI service) applies the consent rules', async () => {
  const { app, world, published } = await setup();
  const key = await app.services.operators.createAdminKey(`k-${unique()}`);
  const post = (payload: object) =>
    app.server.inject({ method: 'POST', url: '/admin/v1/authorizations', headers: { authorization: `Bearer ${key}` }, payload });
  const ok = await post({ applicationId: published.app.applicationId, adminEmail: world.admin.email, region: 'NA' });
  assert.equal(ok.statusCode, 201, ok.body);
  assert.match(ok.json().refresh_token, /^Atzr\|/);
  assert.equal(ok.json().region, 'NA');
  const refreshed = await tokenRequest(app, {
    grant_type: 'refresh_token',
    refresh_token: ok.json().refresh_token,
    client_id: published.app.clientId,
    client_secret: published.clientSecret,
  });
  assert.equal(refreshed.status, 200);
  const partial = await post({ applicationId: published.app.applicationId, adminEmail: world.partial.email, region: 'NA' });
  assert.equal(partial.statusCode, 403);
  assert.match(partial.json().errors[0].details, /all legal entities/);
  const fe = await post({ applicationId: published.app.applicationId, adminEmail: world.admin.email, region: 'FE' });
  assert.equal(fe.statusCode, 400);
});

test('sandbox apps get a token from Create token, without consent', async () => {
  const { app, dev } = await setup();
  const { app: sandbox, clientSecret } = await app.services.apps.create(dev.id, {
    name: 'Sbx',
    type: 'sandbox',
    visibility: 'public',
    roles: ['Business Product Catalog'],
    redirectUris: [REDIRECT],
  });
  const { refreshToken } = await app.services.oauth.createSandboxToken(dev.id, sandbox.id);
  const res = await tokenRequest(app, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: sandbox.clientId,
    client_secret: clientSecret,
  });
  assert.equal(res.status, 200);
  const g = await app.services.oauth.lookupAccessToken(res.body.access_token);
  assert.ok(g.status === 'valid' && g.grant.environment === 'sandbox' && g.grant.businessId === null);
  const other = await makeApprovedDeveloper(app);
  await assert.rejects(app.services.oauth.createSandboxToken(other.id, sandbox.id), /not found/);
});

test('signing out of consent is a POST with the CSRF token; consent pages are never cached', async () => {
  const { app, world, published } = await setup();
  const url = consentUrl(published.app.applicationId, REDIRECT);
  const anonymous = await app.server.inject({ method: 'GET', url });
  assert.equal(anonymous.headers['cache-control'], 'no-store');
  const { cookie } = await signInBusinessUser(app, url, world.partial.email, world.password);
  const refused = await app.server.inject({ method: 'GET', url, headers: { cookie } });
  assert.equal(refused.statusCode, 403);
  assert.equal(refused.headers['cache-control'], 'no-store');
  // The way out is a form posting the session's CSRF token, not a link.
  assert.equal(refused.body.includes('href="/b2b/abws/signout"'), false);
  const csrf = field(refused.body, 'csrf');
  assert.match(refused.body, /<form method="post" action="\/b2b\/abws\/signout">/);
  const stillSignedIn = async () => (await app.server.inject({ method: 'GET', url, headers: { cookie } })).statusCode === 403;

  // A GET (an old link, an <img> on another site) signs nobody out.
  const get = await app.server.inject({ method: 'GET', url: '/b2b/abws/signout', headers: { cookie } });
  assert.equal(get.statusCode, 200);
  assert.equal(get.headers['cache-control'], 'no-store');
  assert.equal(await stillSignedIn(), true);
  // A POST without the token, or with another, signs nobody out either.
  for (const payload of ['', 'csrf=wrong']) {
    const forged = await app.server.inject({
      method: 'POST',
      url: '/b2b/abws/signout',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload,
    });
    assert.equal(forged.statusCode, 403, payload);
    assert.equal(await stillSignedIn(), true, payload);
  }
  const out = await app.server.inject({
    method: 'POST',
    url: '/b2b/abws/signout',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: `csrf=${encodeURIComponent(csrf)}`,
  });
  assert.equal(out.statusCode, 200);
  assert.match(out.body, /You are signed out/);
  // The session is over on the server, not only in the browser.
  const after = await app.server.inject({ method: 'GET', url, headers: { cookie } });
  assert.equal(after.statusCode, 200);
  assert.match(after.body, /name="password"/);
});

test('the demo callback page quotes the code for the shell and shows no command for a crafted one', async () => {
  const app = await buildTestApp({ seedDemo: true });
  const crafted = ["x'; touch /tmp/pwned; echo '", 'AN$(id)', '<script>alert(1)</script>'];
  for (const code of crafted) {
    const res = await app.server.inject({ method: 'GET', url: `/demo/callback?code=${encodeURIComponent(code)}&state=s` });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.match(res.body, /Not a code of this server/);
    assert.equal(res.body.includes('curl'), false, code);
    assert.equal(res.body.includes('<script>'), false);
  }
  const code = `AN${'a1_-'.repeat(8)}`;
  const ok = await app.server.inject({ method: 'GET', url: `/demo/callback?code=${code}&state=s` });
  assert.match(ok.body, new RegExp(`-d code=&#39;${code}&#39;`));
});

test('refusal pages say the actual reason; the FAQ sentence only for applicationId and redirect_uri', async () => {
  const { app, world, dev, published } = await setup();
  const FAQ =
    "This error is caused by incorrect redirect_uri and applicationId. You must use the same redirect_uri and applicationId you've provided in SPP. Any missing or additional characters will cause an error.";
  const faqHtml = FAQ.replace(/'/g, '&#39;');
  const unknown = await app.server.inject({
    method: 'GET',
    url: consentUrl('amzn1.sp.solution.00000000-0000-4000-a000-000000000000', REDIRECT),
  });
  assert.ok(unknown.body.includes(faqHtml), 'the FAQ sentence for an unknown applicationId');
  const mismatch = await app.server.inject({ method: 'GET', url: consentUrl(published.app.applicationId, `${REDIRECT}/`) });
  assert.ok(mismatch.body.includes(faqHtml), 'and for a redirect_uri mismatch');
  const { app: sandbox } = await app.services.apps.create(dev.id, {
    name: 'Sbx',
    type: 'sandbox',
    visibility: 'public',
    roles: ['Business Product Catalog'],
    redirectUris: [REDIRECT],
  });
  const sandboxRefusal = await app.server.inject({ method: 'GET', url: consentUrl(sandbox.applicationId, REDIRECT) });
  assert.equal(sandboxRefusal.statusCode, 400);
  assert.match(sandboxRefusal.body, /This is a sandbox app/);
  assert.equal(sandboxRefusal.body.includes(faqHtml), false, 'a sandbox refusal does not blame applicationId or redirect_uri');
  assert.doesNotMatch(sandboxRefusal.body, /Check that the applicationId/);
  // After sign-in: a business that does not operate in the marketplace.
  const jpUrl = consentUrl(published.app.applicationId, REDIRECT, 'xyz', '', '/mp/jp');
  const { cookie } = await signInBusinessUser(app, jpUrl, world.admin.email, world.password);
  const notOperated = await app.server.inject({ method: 'GET', url: jpUrl, headers: { cookie } });
  assert.equal(notOperated.statusCode, 403);
  assert.match(notOperated.body, /does not operate in this marketplace/);
  assert.equal(notOperated.body.includes(faqHtml), false);
  assert.match(notOperated.body, /Sign in with another account/);
  assert.equal(field(notOperated.body, 'next'), jpUrl, 'it returns to the same consent URL');
});

test('a wrong password re-renders the consent sign-in inline with the email kept; "Sign in with another account" returns to the consent URL', async () => {
  const { app, world, published } = await setup();
  const url = consentUrl(published.app.applicationId, REDIRECT, 'keep-me');
  const page = await app.server.inject({ method: 'GET', url });
  const form = {
    csrf: field(page.body, 'csrf'),
    applicationId: field(page.body, 'applicationId'),
    redirect_uri: field(page.body, 'redirect_uri'),
    state: field(page.body, 'state'),
    marketplace: field(page.body, 'marketplace'),
    email: world.admin.email.toUpperCase(),
    password: 'not-the-password',
  };
  const wrong = await app.server.inject({
    method: 'POST',
    url: '/b2b/abws/signin',
    headers: { cookie: page.cookies.map((c) => `${c.name}=${c.value}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(form).toString(),
  });
  assert.equal(wrong.statusCode, 401);
  assert.match(wrong.body, /role="alert"[^>]*>.*The email or password is wrong/s);
  assert.match(wrong.body, /<form method="post" action="\/b2b\/abws\/signin"/, 'the form is shown again in place');
  assert.equal(field(wrong.body, 'email'), world.admin.email.toUpperCase(), 'the email is kept as typed');
  assert.equal(field(wrong.body, 'state'), 'keep-me', 'the consent request is kept');
  assert.match(wrong.body, /id="password"[^>]*aria-invalid="true"[^>]*autofocus/);
  assert.doesNotMatch(wrong.body, /not-the-password/);
  // The re-rendered form works: a new pre-login token came with it.
  const retry = await app.server.inject({
    method: 'POST',
    url: '/b2b/abws/signin',
    headers: { cookie: wrong.cookies.map((c) => `${c.name}=${c.value}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      ...form,
      csrf: field(wrong.body, 'csrf'),
      email: world.admin.email,
      password: world.password,
    }).toString(),
  });
  assert.equal(retry.statusCode, 303);

  // A partial administrator is refused; signing out with the page's button comes back to the consent URL.
  const partial = await signInBusinessUser(app, url, world.partial.email, world.password);
  const refused = await app.server.inject({ method: 'GET', url, headers: { cookie: partial.cookie } });
  assert.equal(refused.statusCode, 403);
  assert.equal(field(refused.body, 'next'), url);
  const out = await app.server.inject({
    method: 'POST',
    url: '/b2b/abws/signout',
    headers: { cookie: partial.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ csrf: field(refused.body, 'csrf'), next: url }).toString(),
  });
  assert.equal(out.statusCode, 303);
  assert.equal(out.headers.location, url);
  const back = await app.server.inject({ method: 'GET', url, headers: { cookie: partial.cookie } });
  assert.match(back.body, /name="password"/, 'signed out, at the sign-in form of the same consent');
  // Only a consent URL of this server is a place to return to.
  for (const next of ['https://evil.example/b2b/abws/oauth', '//evil.example/b2b/abws/oauth', '/portal/apps', '/b2b/abws/oauth\\@evil']) {
    const res = await app.server.inject({
      method: 'POST',
      url: '/b2b/abws/signout',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ next }).toString(),
    });
    assert.equal(res.statusCode, 200, next);
    assert.equal(res.headers.location, undefined, next);
  }
});
