// Starts the device agent of the issuance tests: a throwaway SoftHSM2 token
// (scripts/softhsm-token.sh, its own SOFTHSM2_CONF directory) and the real custos-agent
// (bin/custos-agent, built by `make build`) on a free port of 127.0.0.1, and stops it after
// the run. The agent prints its one-time pairing codes on its standard output, which goes to
// AGENT_LOG: a test asks for a fresh code (POST /pair/start) and reads it from there, as a
// person reads it from the agent's terminal. The rest reaches the tests through AGENT_*,
// SOFTHSM2_CONF and PKCS11_MODULE environment variables, which Playwright's workers inherit.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function listening(port: number, deadline: number): Promise<void> {
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => {
        c.end();
        resolve(true);
      });
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`custos-agent does not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export default async function agentSetup(): Promise<() => void> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'custos-e2e-agent-'));
  const soPin = '87654321';
  const userPin = '12345678';
  const out = execFileSync('bash', [path.join(root, 'scripts/softhsm-token.sh'), path.join(dir, 'token'), 'custos-e2e', soPin, userPin], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 60_000,
  });
  const env: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const m = /^export ([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) env[m[1]] = m[2];
    const s = /serial (\S+)/.exec(line);
    if (s) process.env.AGENT_SERIAL = s[1];
  }
  const port = await freePort();
  const log = path.join(dir, 'agent.log');
  const child = spawn(path.join(root, 'bin/custos-agent'), [], {
    env: { ...process.env, ...env, CUSTOS_AGENT_ADDR: `127.0.0.1:${port}` },
    stdio: ['ignore', openSync(log, 'a'), openSync(path.join(dir, 'agent.err'), 'a')],
    detached: true,
  });
  await listening(port, Date.now() + 20_000);
  Object.assign(process.env, {
    AGENT_URL: `http://127.0.0.1:${port}`, AGENT_LOG: log, AGENT_SO_PIN: soPin, AGENT_USER_PIN: userPin,
    SOFTHSM2_CONF: env.SOFTHSM2_CONF, PKCS11_MODULE: env.CUSTOS_AGENT_PKCS11_MODULE,
  });
  if (!readFileSync(log, 'utf8').includes('pairing code') && child.exitCode !== null) {
    throw new Error(`custos-agent exited: ${readFileSync(path.join(dir, 'agent.err'), 'utf8')}`);
  }
  return () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
