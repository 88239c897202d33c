import { defineConfig, devices } from '@playwright/test';

// The suite drives the real binary (bin/custos, built by `make build`) on a fresh data
// directory in Debian's Chromium: no browser download, no mocks.
const port = Number(process.env.E2E_PORT ?? 18089);
export const baseURL = `http://127.0.0.1:${port}`;
// The mTLS entry of integrated systems (CUSTOS_MTLS_ADDR), a second listener of the same binary;
// by default beside the plain port (18089 → 18443), so suites on other ports do not collide.
const mtlsPort = Number(process.env.E2E_MTLS_PORT ?? port + 354);
export const mtlsURL = `https://127.0.0.1:${mtlsPort}`;

export default defineConfig({
  testDir: './tests',
  // A throwaway OpenLDAP for the providers' connection test (stopped by the returned teardown).
  // A real OpenID provider (oidc-provider) for signing in through providers: idp-setup.ts.
  // A real MIT KDC and Apache doing SPNEGO in front of Custos for Kerberos: kerberos-setup.ts.
  // The device agent on a throwaway SoftHSM2 token for the issuance tests: agent-setup.ts.
  globalSetup: ['./global-setup.ts', './idp-setup.ts', './kerberos-setup.ts', './agent-setup.ts'],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // A file whose tests are independent says so (test.describe.configure({ mode: 'parallel' }))
  // and spreads them over both workers; the exclusive projects stay one file at a time.
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  // scripts/e2e.sh gives a run of chosen spec files folders of its own (E2E_OUTPUT_DIR,
  // E2E_REPORT_DIR): Playwright empties its output folder at start, which would pull the
  // traces from under another suite running in the same checkout.
  reporter: [['list'], ['html', { open: 'never', outputFolder: process.env.E2E_REPORT_DIR ?? 'playwright-report' }]],
  outputDir: process.env.E2E_OUTPUT_DIR ?? 'test-results',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    // No video: Playwright renders it with its own ffmpeg download, which this machine cannot fetch.
    video: 'off',
    locale: 'en-US',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run', '--disable-quic',
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
      ],
    },
  },
  projects: [
    { name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined }, testIgnore: /\.exclusive\.spec\.ts$/ },
    // Tests that change what every sign-in sees (an active LDAP provider, the local provider
    // switched off) run alone, after all the others.
    {
      name: 'exclusive',
      use: { ...devices['Desktop Chrome'], channel: undefined },
      testMatch: /\.exclusive\.spec\.ts$/,
      testIgnore: /kerberos\.exclusive\.spec\.ts$/,
      dependencies: ['chromium'],
    },
    // Kerberos also needs the one active LDAP provider: after the exclusive project, so two
    // exclusive files never run at once in two workers.
    {
      name: 'kerberos',
      use: { ...devices['Desktop Chrome'], channel: undefined },
      testMatch: /kerberos\.exclusive\.spec\.ts$/,
      dependencies: ['exclusive'],
    },
  ],
  webServer: {
    command: 'bash ./server.sh',
    url: `${baseURL}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: { E2E_PORT: String(port), E2E_MTLS_PORT: String(mtlsPort) },
  },
});
