// Starts the real OpenID provider of the sign-in tests (idp/server.mjs, the npm package
// oidc-provider) on a free port, with Custos's callback as its client's redirect URI,
// and stops it after the run. Its issuer reaches the tests as IDP_URL.
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export default async function idpSetup(): Promise<() => void> {
  const custos = `http://127.0.0.1:${process.env.E2E_PORT ?? 18089}`;
  const port = await freePort();
  const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'idp/server.mjs');
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, IDP_PORT: String(port), IDP_REDIRECT_URI: `${custos}/api/v1/auth/oidc/callback` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const issuer = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the test IdP did not start:\n${out}`)), 20_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /IDP_READY (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (code) => reject(new Error(`the test IdP exited with ${code}:\n${out}`)));
  });
  child.stdout.removeAllListeners('data');
  child.stdout.resume();
  child.stderr.resume();
  process.env.IDP_URL = issuer;
  return () => {
    child.kill('SIGTERM');
  };
}
