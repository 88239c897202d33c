// Starts the Kerberos front of the sign-in test (scripts/kerberos.sh): a throwaway MIT KDC
// for CUSTOS.TEST and Apache doing SPNEGO (mod_auth_gssapi) in front of the suite's Custos,
// and stops both after the run. Their addresses reach the tests through KRB5_CONFIG,
// KRB_DIR, KERBEROS_PROXY_URL, … environment variables, which Playwright's workers inherit.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export default function kerberosSetup(): () => Promise<void> {
  const custos = `http://127.0.0.1:${process.env.E2E_PORT ?? 18089}`;
  const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../scripts/kerberos.sh');
  // The script says on stderr why it failed; execFileSync then throws with its exit code.
  const out = execFileSync('bash', [script, custos], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 60_000 });
  for (const line of out.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) process.env[m[1]] = m[2];
  }
  for (const key of ['KRB5_CONFIG', 'KRB_DIR', 'KDC_PID', 'APACHE_PID', 'KERBEROS_PROXY_URL', 'KRB_REALM']) {
    if (!process.env[key]) throw new Error(`scripts/kerberos.sh printed no ${key}:\n${out}`);
  }
  const pids = [Number(process.env.APACHE_PID), Number(process.env.KDC_PID)].filter((p) => p > 0);
  const dir = process.env.KRB_DIR;
  return async () => {
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
    // Apache stops its workers before it exits; remove the directory after both are gone.
    for (let i = 0; i < 50 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
    if (dir?.includes('custos-krb')) rmSync(dir, { recursive: true, force: true });
  };
}
