// The key pair and request made in the page, judged by @peculiar/x509 and by openssl.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { jsdomCrypto } from './jsdomCrypto';
import { generateKeyAndCsr } from './keygen';

const crypto = jsdomCrypto();
x509.cryptoProvider.set(crypto);

const dir = mkdtempSync(join(tmpdir(), 'custos-keygen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('generateKeyAndCsr', () => {
  it('makes an ECDSA P-256 request that verifies, and a PKCS#8 key that is its pair (openssl)', async () => {
    const made = await generateKeyAndCsr('ecdsa-p256', 'Billing «prod»', crypto);
    expect(made.csrPem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n[\s\S]+\n-----END CERTIFICATE REQUEST-----\n?$/);
    expect(made.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n?$/);
    expect(made.csrPem).not.toContain(made.privateKeyPem.split('\n')[1]);

    const csr = new x509.Pkcs10CertificateRequest(made.csrPem);
    expect(await csr.verify()).toBe(true);
    expect(csr.subject).toBe('CN=Billing «prod»');
    expect(csr.publicKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });

    const csrFile = join(dir, 'ec.csr');
    const keyFile = join(dir, 'ec.key');
    writeFileSync(csrFile, made.csrPem);
    writeFileSync(keyFile, made.privateKeyPem);
    // openssl's "verify OK" goes to stderr on some versions: the exit status is the judge.
    openssl(['req', '-in', csrFile, '-noout', '-verify']);
    expect(openssl(['req', '-in', csrFile, '-noout', '-text'])).toMatch(/prime256v1|P-256/);
    expect(openssl(['pkey', '-in', keyFile, '-pubout'])).toBe(openssl(['req', '-in', csrFile, '-noout', '-pubkey']));
  });

  it('makes RSA 2048 on request, signed with SHA-256', async () => {
    const made = await generateKeyAndCsr('rsa-2048', 'rsa-system', crypto);
    const csrFile = join(dir, 'rsa.csr');
    const keyFile = join(dir, 'rsa.key');
    writeFileSync(csrFile, made.csrPem);
    writeFileSync(keyFile, made.privateKeyPem);
    openssl(['req', '-in', csrFile, '-noout', '-verify']);
    const text = openssl(['req', '-in', csrFile, '-noout', '-text']);
    expect(text).toContain('2048 bit');
    expect(text).toContain('sha256WithRSAEncryption');
    expect(openssl(['pkey', '-in', keyFile, '-pubout'])).toBe(openssl(['req', '-in', csrFile, '-noout', '-pubkey']));
  });
});
