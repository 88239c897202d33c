// Starts a throwaway OpenLDAP (scripts/slapd.sh) for the providers' Test connection and
// LDAP dry run, and stops it after the run. Its address reaches the tests through
// LDAP_* environment variables, which Playwright's workers inherit.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export default function globalSetup(): () => void {
  const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../scripts/slapd.sh');
  const out = execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  for (const line of out.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) process.env[m[1]] = m[2];
  }
  const pid = Number(process.env.SLAPD_PID);
  const dir = process.env.SLAPD_DIR;
  return () => {
    try {
      if (pid) process.kill(pid);
    } catch {
      // Already gone.
    }
    if (dir?.includes('custos-slapd')) rmSync(dir, { recursive: true, force: true });
  };
}
