// Signing in with Kerberos (an ldap_kerberos provider) against real peers: the MIT KDC and
// Apache doing SPNEGO (mod_auth_gssapi) of kerberos-setup.ts, Chromium answering Apache's
// Negotiate challenge with a ticket from kinit, and the suite's slapd (global-setup.ts) in
// which Custos looks the user up. Apache passes the principal in X-Remote-User; Custos
// believes it from 127.0.0.1 only because server.sh trusts that proxy.
//
// An active LDAP provider changes what every sign-in sees, so this file runs in its own
// "kerberos" project, after the "exclusive" one (which also switches LDAP on).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, request, type BrowserContextOptions, type LaunchOptions } from '@playwright/test';
import { Api, expect, ldapParams, test, unique } from '../fixtures';
import { TID } from '../../frontend/src/testids';

const ALICE = { principal: 'alice@CUSTOS.TEST', password: 'alice-kerberos-password' };

function env(name: string): string {
  const v = process.env[name];
  expect(v, `${name} from kerberos-setup.ts / global-setup.ts`).toBeTruthy();
  return v!;
}

/** kinit gets alice a ticket into a fresh credential cache file and returns its KRB5CCNAME. */
function kinit(ccache: string): string {
  const name = `FILE:${ccache}`;
  try {
    execFileSync('kinit', [ALICE.principal], {
      input: `${ALICE.password}\n`,
      env: { ...process.env, KRB5_CONFIG: env('KRB5_CONFIG'), KRB5CCNAME: name },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 20_000,
    });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`kinit ${ALICE.principal} failed: ${err.stderr?.toString() || err.message}`);
  }
  return name;
}

/**
 * kerberosBrowser is a Chromium of its own that may answer Negotiate for localhost with the
 * given ticket cache. On Linux Chromium loads the GSSAPI library (and then runs its network
 * service unsandboxed) only once its Local State records that it has met a Negotiate
 * challenge (net.received_http_auth_negotiate_headers); until then every Negotiate challenge
 * fails with ERR_UNSUPPORTED_AUTH_SCHEME. A fresh profile never has it, so the profile is
 * made here with the flag already set and opened as a persistent context (chromium.launch()
 * always starts from a fresh temporary profile).
 */
async function kerberosBrowser(launchOptions: LaunchOptions, ccache: string, options: BrowserContextOptions = {}, args: string[] = []) {
  const profile = mkdtempSync(path.join(env('KRB_DIR'), 'chromium-'));
  writeFileSync(path.join(profile, 'Local State'), JSON.stringify({ net: { received_http_auth_negotiate_headers: true } }));
  return chromium.launchPersistentContext(profile, {
    ...launchOptions,
    executablePath: launchOptions.executablePath ?? '/usr/bin/chromium',
    args: [...(launchOptions.args ?? []), '--auth-server-allowlist=localhost', ...args],
    env: { ...process.env, KRB5_CONFIG: env('KRB5_CONFIG'), KRB5CCNAME: ccache },
    locale: 'en-US',
    viewport: { width: 1280, height: 800 },
    ...options,
  });
}

/** accessLog returns the lines of Apache's access log that contain probe (the format is in scripts/kerberos.sh). */
function accessLog(probe: string): string[] {
  return readFileSync(path.join(env('KRB_DIR'), 'apache-access.log'), 'utf8').split('\n').filter((l) => l.includes(probe));
}

/** apacheErrors is the end of Apache's error log (mod_auth_gssapi logs at debug there). */
function apacheErrors(): string {
  return readFileSync(path.join(env('KRB_DIR'), 'apache-error.log'), 'utf8').trim().split('\n').slice(-6).join('\n');
}

async function kerberosEvents(api: Api, action: 'login.success' | 'login.failure', login?: string) {
  const audit = await api.get(`/audit?action=${action}&page_size=200`);
  return audit.items.filter(
    (e: { resource_name: string; diff?: { after?: { provider_type?: string } } }) =>
      e.diff?.after?.provider_type === 'ldap_kerberos' && (login === undefined || e.resource_name === login),
  );
}

test.describe('signing in with Kerberos through Apache (SPNEGO) and an MIT KDC', () => {
  let ldapId = '';
  let kerberosId = '';

  test.beforeAll(async ({ baseURL }) => {
    const api = await Api.signIn(baseURL!);
    // At most one active provider of each of these types: switch off what another spec left on.
    for (const type of ['ldap', 'ldap_kerberos']) {
      const active = await api.get(`/providers?type=${type}&active=true&page_size=200`);
      for (const p of active.items) await api.setProviderActive(p.id, false);
    }
    const auditors = await api.groupId('auditors');
    ldapId = (await api.post('/providers', { name: unique('slapd-krb-'), type: 'ldap', active: true, params: ldapParams() })).id;
    kerberosId = (await api.post('/providers', {
      name: unique('kerberos-'), type: 'ldap_kerberos', active: true, allow_user_creation: true, base_group_ids: [auditors],
    })).id;
    await api.dispose();
  });

  test.afterAll(async ({ baseURL }) => {
    const api = await Api.signIn(baseURL!);
    if (kerberosId) await api.setProviderActive(kerberosId, false);
    if (ldapId) await api.setProviderActive(ldapId, false);
    await api.dispose();
  });

  test('a browser with a Kerberos ticket arrives in the console signed in as the directory user', async ({ api, launchOptions }, testInfo) => {
    const proxy = env('KERBEROS_PROXY_URL');
    const before = (await kerberosEvents(api, 'login.success', 'alice')).length;
    const ccache = kinit(path.join(env('KRB_DIR'), `alice-${testInfo.workerIndex}.cc`));
    // The browser also sends its own X-Remote-User naming bob: Apache replaces it with the
    // principal it authenticated, so this must still sign in alice.
    const ctx = await kerberosBrowser(launchOptions, ccache, { extraHTTPHeaders: { 'X-Remote-User': 'bob@CUSTOS.TEST' } });
    try {
      const page = ctx.pages()[0] ?? (await ctx.newPage());
      const probe = unique('krb-ok-');
      const res = await page.goto(`${proxy}/api/v1/auth/kerberos?next=%2Faudit&probe=${probe}`);
      expect(res?.status(), `Apache did not accept the browser's Negotiate answer; its log says:\n${apacheErrors()}`).not.toBe(401);

      // Custos's redirect to next, through the proxy, into the console: the base group
      // (auditors) reads the audit log.
      await expect(page).toHaveURL(`${proxy}/audit`);
      await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
      await expect(page.getByTestId(TID.userMenu)).toBeVisible();
      await expect(page.getByTestId(TID.userMenu)).toContainText('Alice Liddell');
      await page.screenshot({ path: path.join(testInfo.project.outputDir, 'kerberos-signed-in.png'), fullPage: true });
      await testInfo.attach('kerberos-signed-in', { path: path.join(testInfo.project.outputDir, 'kerberos-signed-in.png') });

      // Apache authenticated alice by her ticket and passed exactly that to Custos.
      await expect.poll(() => accessLog(probe).some((l) => / 302 /.test(l)), { message: 'Apache logged the sign-in' }).toBe(true);
      const lines = accessLog(probe);
      expect(lines.some((l) => / 401 user=- /.test(l)), `the Negotiate challenge:\n${lines.join('\n')}`).toBe(true);
      expect(lines.some((l) => / 302 user=alice@CUSTOS\.TEST x-remote-user="alice@CUSTOS\.TEST"$/.test(l)),
        `the authenticated request:\n${lines.join('\n')}`).toBe(true);

      const session = (await ctx.cookies(proxy)).find((c) => c.name === 'custos_session');
      expect(session?.domain, 'the session cookie of the proxy host').toBe('localhost');
      const meRes = await page.request.get(`${proxy}/api/v1/auth/me`);
      expect(meRes.status(), await meRes.text()).toBe(200);
      const me = await meRes.json();
      // The e-mail and the name come from alice's entry in slapd, found with the LDAP
      // provider's service bind: the ticket names only the principal.
      expect(me.user).toMatchObject({ login: 'alice', email: 'alice@custos.test', display_name: 'Alice Liddell' });
      expect(me.groups.map((g: { code: string }) => g.code)).toEqual(['auditors']);

      const ok = await kerberosEvents(api, 'login.success', 'alice');
      expect(ok.length, 'one more login.success of alice through the ldap_kerberos provider').toBe(before + 1);
    } finally {
      await ctx.close();
    }
  });

  test('a browser without a ticket is refused by Apache and Custos is never told a user', async ({ api, launchOptions }, testInfo) => {
    const proxy = env('KERBEROS_PROXY_URL');
    const failuresBefore = (await kerberosEvents(api, 'login.failure')).length;
    // The same Kerberos-enabled browser, but its credential cache does not exist. Its net log
    // (written when it closes) shows it did try Kerberos and had nothing to offer, so the
    // refusal below is Apache's answer to "no ticket", not a browser that cannot Negotiate.
    const netlog = path.join(env('KRB_DIR'), `${unique('netlog-')}.json`);
    const ctx = await kerberosBrowser(launchOptions, `FILE:${path.join(env('KRB_DIR'), `none-${testInfo.workerIndex}.cc`)}`,
      {}, [`--log-net-log=${netlog}`]);
    try {
      const page = ctx.pages()[0] ?? (await ctx.newPage());
      const probe = unique('krb-none-');
      const res = await page.goto(`${proxy}/api/v1/auth/kerberos?next=%2Faudit&probe=${probe}`);
      expect(res?.status()).toBe(401);
      expect(res?.headers()['www-authenticate']).toBe('Negotiate');
      expect(page.url()).toBe(`${proxy}/api/v1/auth/kerberos?next=%2Faudit&probe=${probe}`);
      expect((await ctx.cookies(proxy)).map((c) => c.name)).not.toContain('custos_session');
      const me = await page.request.get(`${proxy}/api/v1/auth/me`);
      expect(me.status()).toBe(401);
      // Every request with the probe ended at Apache with 401: none was passed to Custos.
      await expect.poll(() => accessLog(probe).length, { message: 'Apache logged the browser asking' }).toBeGreaterThan(0);
      const lines = accessLog(probe);
      expect(lines.every((l) => / 401 user=- /.test(l)), lines.join('\n')).toBe(true);
    } finally {
      await ctx.close();
    }
    const log = readFileSync(netlog, 'utf8');
    expect(log, 'the browser loaded GSSAPI').toContain('libgssapi_krb5.so.2');
    expect(log, 'and asked it for a ticket to HTTP@localhost').toContain('"spn":"HTTP@localhost"');
    expect(log, 'which it did not have').toContain('No credentials were supplied');
    expect((await kerberosEvents(api, 'login.failure')).length, 'Custos saw no Kerberos sign-in attempt').toBe(failuresBefore);
  });

  test("a client's own X-Remote-User never reaches Custos, on any path", async ({ api }) => {
    const proxy = env('KERBEROS_PROXY_URL');
    const client = await request.newContext({ extraHTTPHeaders: { 'X-Remote-User': 'bob@CUSTOS.TEST' }, maxRedirects: 0 });
    try {
      // The Kerberos location itself: without a ticket Apache refuses before Custos is asked.
      let probe = unique('krb-forged-');
      let res = await client.get(`${proxy}/api/v1/auth/kerberos?next=%2Faudit&probe=${probe}`);
      expect(res.status()).toBe(401);
      expect(res.headers()['www-authenticate']).toBe('Negotiate');
      await expect.poll(() => accessLog(probe).length, { message: 'Apache logged the request' }).toBeGreaterThan(0);
      const refused = accessLog(probe);
      expect(refused.every((l) => / 401 user=- /.test(l)), refused.join('\n')).toBe(true);

      // Everywhere else Apache passes the request on without the header: its access log
      // records the request headers as they were sent to Custos. The last two look like the
      // Kerberos path but are outside Apache's <Location>.
      for (const p of ['/api/v1/auth/me', '/audit', '/api/v1/auth/kerberos;x', '/API/v1/auth/kerberos']) {
        probe = unique('krb-forged-');
        res = await client.get(`${proxy}${p}?next=%2Faudit&probe=${probe}`);
        // Apache writes its access log line after the answer has gone out: wait for it.
        await expect.poll(() => accessLog(probe).length, { message: `${p}: Apache logged one request` }).toBe(1);
        const lines = accessLog(probe);
        expect(lines[0], `${p}: proxied to Custos without the header`).toMatch(/ user=- x-remote-user="-"$/);
        expect(res.status(), `${p} → ${res.status()}`).not.toBe(302);
        expect(res.headers()['set-cookie'] ?? '', p).not.toContain('custos_session');
      }
      expect((await client.get(`${proxy}/api/v1/auth/me`)).status()).toBe(401);
    } finally {
      await client.dispose();
    }
    expect(await kerberosEvents(api, 'login.success', 'bob')).toHaveLength(0);
  });
});
