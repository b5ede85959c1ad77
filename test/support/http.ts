import type { TestApp } from './app.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Calls the admin API with an operator key created for the test. */
export async function adminClient(app: TestApp) {
  const key = await app.services.operators.createAdminKey('test');
  return async (method: Method, url: string, payload?: unknown) => {
    const res = await app.server.inject({
      method,
      url: `/admin/v1${url}`,
      headers: { authorization: `Bearer ${key}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return {
      status: res.statusCode,
      body: res.body ? (String(res.headers['content-type']).includes('json') ? res.json() : res.body) : null,
      headers: res.headers,
    };
  };
}

/** Registers and signs in a developer through the developer API; returns a client bound to the session. */
export async function developerClient(app: TestApp, email: string, password = 'developer-password') {
  const reg = await app.server.inject({ method: 'POST', url: '/developer/v1/register', payload: { email, name: 'Dev', password } });
  if (reg.statusCode !== 201) throw new Error(`register failed: ${reg.body}`);
  const signIn = await app.server.inject({ method: 'POST', url: '/developer/v1/sessions', payload: { email, password } });
  const { token, developer } = signIn.json();
  const call = async (method: Method, url: string, payload?: unknown) => {
    const res = await app.server.inject({
      method,
      url: `/developer/v1${url}`,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };
  return Object.assign(call, { developerId: developer.id as string, token: token as string });
}
