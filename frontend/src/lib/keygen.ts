// The key pair and its PKCS#10 request, made in the page with WebCrypto and @peculiar/x509.
// Only the request leaves the page; the private key goes to the caller as PKCS#8 PEM and
// nowhere else. Loaded on demand (import()) so the library stays out of every other chunk.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

export const KEY_ALGORITHMS = ['ecdsa-p256', 'rsa-2048', 'rsa-3072'] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

type Params = EcKeyGenParams & EcdsaParams | RsaHashedKeyGenParams;

const PARAMS: Record<KeyAlgorithm, Params> = {
  'ecdsa-p256': { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' },
  'rsa-2048': { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
  'rsa-3072': { name: 'RSASSA-PKCS1-v1_5', modulusLength: 3072, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
};

export interface KeyAndRequest {
  /** The PKCS#10 request, PEM: the only part sent to the server. */
  csrPem: string;
  /** The private key, PKCS#8 PEM ("PRIVATE KEY"): offered as privateKey.pem, never sent. */
  privateKeyPem: string;
}

/**
 * generateKeyAndCsr makes a key pair and a request signed with it. The subject is the
 * system's name (the CA writes the certificate's subject itself and does not trust it).
 */
export async function generateKeyAndCsr(alg: KeyAlgorithm, commonName: string, crypto: Crypto = globalThis.crypto): Promise<KeyAndRequest> {
  const params = PARAMS[alg];
  const keys = (await crypto.subtle.generateKey(params, true, ['sign', 'verify'])) as CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create(
    { name: [{ CN: [commonName] }], keys, signingAlgorithm: params },
    crypto,
  );
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { csrPem: csr.toString('pem'), privateKeyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}
