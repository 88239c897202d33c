// Signing in from applications that embed Custos, against real peers:
// - OpenID Token: an embedding application signs its user in at the real OpenID provider
//   (oidc-provider, idp-setup.ts) and hands the ID token to Custos, on API calls and to
//   open a browser session;
// - External REST: a separate authentication service process (rest-peer/server.mjs)
//   checks the credentials Custos forwards to it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN, expect, test, unique } from '../fixtures';
import { DataTable } from '../pages/DataTable';
import { TID } from '../../frontend/src/testids';

// The tests are independent: they spread over both workers.
test.describe.configure({ mode: 'parallel' });

const EMBED = {
  clientId: 'custos-embedding-app',
  secret: 'custos-embedding-app-secret',
  redirect: 'http://127.0.0.1:9/embedding-app/callback',
};
const SEED_REFUSAL = 'No account has been created for the user named in the request. Please contact the System Administrator.';

/**
 * idTokenFor is the embedding application's half: an authorization-code round trip with
 * PKCE at the real IdP, the person typing their IdP password on its page, then the code
 * exchanged for tokens at the IdP's token endpoint. It returns the ID token.
 */
async function idTokenFor(page: import('@playwright/test').Page, username: string): Promise<string> {
  const issuer = process.env.IDP_URL!;
  const disc = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const auth = new URL(disc.authorization_endpoint);
  auth.search = new URLSearchParams({
    client_id: EMBED.clientId, response_type: 'code', redirect_uri: EMBED.redirect, scope: 'openid profile email',
    state, nonce: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256',
  }).toString();
  await page.goto(auth.toString());
  await expect(page.getByRole('heading', { name: 'Test identity provider' })).toBeVisible();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill('idp-password');
  // The IdP sends the browser back to the application's callback (nothing listens there
  // in the test: the application's server is this test, which reads the code off the request).
  const back = page.waitForRequest((r) => r.url().startsWith(EMBED.redirect));
  await page.getByRole('button', { name: 'Continue' }).click();
  const url = new URL((await back).url());
  expect(url.searchParams.get('state')).toBe(state);
  const code = url.searchParams.get('code');
  expect(code, `the IdP's answer: ${url}`).toBeTruthy();
  const res = await fetch(disc.token_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code', code: code!, redirect_uri: EMBED.redirect, code_verifier: verifier,
      client_id: EMBED.clientId, client_secret: EMBED.secret,
    }),
  });
  const tokens = await res.json();
  expect(res.status, JSON.stringify(tokens)).toBe(200);
  expect(tokens.id_token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  return tokens.id_token as string;
}

test.describe('OpenID Token: an embedding application hands over its ID token', () => {
  test('the token works as a bearer on the API and opens a browser session; the account is provisioned once', async ({ page, api, browser, baseURL }) => {
    const users = await api.groupId('users');
    const p = await api.post('/providers', {
      name: unique('embed-token-'), type: 'oidc_token', active: true, allow_user_creation: true, base_group_ids: [users],
      params: { client_id: EMBED.clientId, client_secret: EMBED.secret, external_url: process.env.IDP_URL },
    });
    const username = unique('embed.user');
    const login = username.toLowerCase();
    try {
      const idToken = await idTokenFor(page, username);

      // An API call with the token as bearer: the account is created at the first call.
      const bearer = { Authorization: `Bearer ${idToken}` };
      const me = await page.request.get(`${baseURL}/api/v1/auth/me`, { headers: bearer });
      expect(me.status(), await me.text()).toBe(200);
      const body = await me.json();
      expect(body.user.login).toBe(login);
      expect(body.user.email).toBe(`${login}@idp.test`);
      // Roles the IdP sent for this IA identifier (auditors) plus the base group.
      expect(body.groups.map((g: { code: string }) => g.code).sort()).toEqual(['auditors', 'users']);
      // The groups decide what the bearer may do: auditors read the audit log, not write users.
      expect((await page.request.get(`${baseURL}/api/v1/audit?page_size=1`, { headers: bearer })).status()).toBe(200);
      const denied = await page.request.post(`${baseURL}/api/v1/users`, { headers: bearer, data: { login: unique('x') } });
      expect(denied.status()).toBe(403);

      // A tampered signature is refused and provisions nothing.
      const [h, c, s] = idToken.split('.');
      const forged = `${h}.${c}.${s.slice(0, -4)}${s.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
      const bad = await page.request.get(`${baseURL}/api/v1/auth/me`, { headers: { Authorization: `Bearer ${forged}` } });
      expect(bad.status()).toBe(401);
      expect((await bad.json()).code).toBe('signin.invalidToken');

      // Seamless entry: the application turns the token into a Custos session in the
      // person's browser, and the console opens signed in.
      const ctx = await browser.newContext();
      const tab = await ctx.newPage();
      const session = await tab.request.post(`${baseURL}/api/v1/auth/oidc-token/session`, { data: { token: idToken } });
      expect(session.status(), await session.text()).toBe(200);
      await tab.goto('/audit');
      await expect(tab.getByTestId(TID.userMenu)).toContainText(`IdP ${username}`);
      await expect(tab).toHaveURL(/\/audit$/);
      await ctx.close();

      const listed = await api.get(`/users?q=${encodeURIComponent(login)}`);
      expect(listed.total).toBe(1);
      expect(listed.items[0]).toMatchObject({ source_provider_id: p.id, active: true });
      const audit = await api.get('/audit?action=login.success&page_size=100');
      const mine = audit.items.filter((e: { resource_name: string }) => e.resource_name === login);
      expect(mine.length, 'one sign-in for the bearer (cached), one for the session').toBe(2);
      expect(mine.every((e: { diff: { after: { provider_type: string } } }) => e.diff.after.provider_type === 'oidc_token')).toBe(true);
    } finally {
      await api.setProviderActive(p.id, false);
    }
  });

  test('a token for a user the provider may not create is refused with the seed\'s message', async ({ page, api, baseURL }) => {
    const p = await api.post('/providers', {
      name: unique('embed-closed-'), type: 'oidc_token', active: true,
      params: { client_id: EMBED.clientId, client_secret: EMBED.secret, external_url: process.env.IDP_URL },
    });
    const username = unique('embed.stranger');
    try {
      const idToken = await idTokenFor(page, username);
      const res = await page.request.post(`${baseURL}/api/v1/auth/oidc-token/session`, { data: { token: idToken } });
      expect(res.status()).toBe(403);
      const problem = await res.json();
      expect(problem.code).toBe('signin.accountNotProvisioned');
      expect(problem.detail).toBe(SEED_REFUSAL);
      expect((await api.get(`/users?q=${encodeURIComponent(username.toLowerCase())}`)).total).toBe(0);
    } finally {
      await api.setProviderActive(p.id, false);
    }
  });
});

test.describe('External REST: a separate authentication service checks the credentials', () => {
  let peer: ChildProcess;
  let peerURL = '';

  test.beforeAll(async () => {
    const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../rest-peer/server.mjs');
    peer = spawn(process.execPath, [script], { env: { ...process.env, REST_PEER_PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    peerURL = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`the REST service did not start:\n${out}`)), 15_000);
      peer.stdout!.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /REST_PEER_READY (\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      peer.stderr!.on('data', (b: Buffer) => (out += b.toString()));
      peer.once('exit', (code) => reject(new Error(`the REST service exited with ${code}:\n${out}`)));
    });
  });

  test.afterAll(() => {
    peer?.kill('SIGTERM');
  });

  test('a person signs in through the service, is provisioned with its roles, and wrong or unknown credentials are refused', async ({ page, api, browser, baseURL }) => {
    const users = await api.groupId('users');
    // A schema attribute fed from the service's cost_centre through a value rule.
    const attr = unique('cost_').replace(/[^a-z0-9_]/gi, '_').toLowerCase();
    await api.post('/attributes', { code: attr, name: 'Cost centre', type: 'string' });
    const p = await api.post('/providers', {
      name: unique('partner-rest-'), type: 'rest', active: true, allow_user_creation: true, base_group_ids: [users],
      params: { external_url: `${peerURL}/auth` },
      mappings: [{ attribute: attr, source: 'cost_centre', rules: [{ from: 'CC-4711', to: 'logistics' }] }],
    });
    const signInURL = `${baseURL}/api/v1/auth/rest/${p.id}/session`;
    try {
      const before = (await api.get('/users?q=dora')).items.filter((u: { login: string }) => u.login === 'dora');
      for (const u of before) await api.post('/users/bulk-delete', { ids: [u.id] }); // a clean first sign-in

      // Wrong password: refused by the service, nothing created, the failure audited.
      const wrong = await page.request.post(signInURL, { data: { login: 'dora', password: 'not-her-password' } });
      expect(wrong.status()).toBe(401);
      expect((await wrong.json()).code).toBe('auth.invalidCredentials');
      expect((await api.get('/users?q=dora')).items.some((u: { login: string }) => u.login === 'dora')).toBe(false);

      // The person's browser signs in through the service and lands in the console.
      const ctx = await browser.newContext();
      const tab = await ctx.newPage();
      const ok = await tab.request.post(signInURL, { data: { login: 'Dora', password: 'dora-rest-password' } });
      expect(ok.status(), await ok.text()).toBe(200);
      const me = await ok.json();
      expect(me.user.login).toBe('dora');
      expect(me.groups.map((g: { code: string }) => g.code).sort()).toEqual(['operators', 'users']);
      expect(me.user.attributes[attr]).toBe('logistics');
      expect(me.user.extra_attributes).toEqual({ badge: '4711' });
      await tab.goto('/');
      await expect(tab.getByTestId(TID.userMenu)).toContainText('Dora Partner');
      await ctx.close();

      // What the service was sent: JSON with the login as typed (lower-cased by Custos).
      const seen = await (await fetch(`${peerURL}/requests`)).json();
      expect(seen.at(-1)).toEqual({ login: 'dora', contentType: 'application/json' });

      // The administrator sees the account, made by this provider.
      expect((await page.request.post('/api/v1/auth/login', { data: ADMIN })).status()).toBe(200);
      await page.goto('/users?q=dora');
      await expect(new DataTable(page).row('dora@partner.test')).toBeVisible();
      const listed = (await api.get('/users?q=dora')).items.find((u: { login: string }) => u.login === 'dora');
      expect(listed).toMatchObject({ email: 'dora@partner.test', source_provider_id: p.id, active: true });
      await page.screenshot({ path: 'screens/rest-provisioned-user.png', fullPage: true });

      // The service is gone: the sign-in is refused as unavailable, not as a wrong password.
      peer.kill('SIGTERM');
      await new Promise((r) => peer.once('exit', r));
      const anon = await browser.newContext();
      const down = await anon.request.post(signInURL, { data: { login: 'dora', password: 'dora-rest-password' } });
      expect(down.status()).toBe(401);
      expect((await down.json()).code).toBe('signin.providerUnavailable');
      await anon.close();
    } finally {
      await api.setProviderActive(p.id, false);
    }
  });
});
