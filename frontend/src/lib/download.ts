// Files made in the page (the private key, a .p12, ca.crt) as object URLs for download links.

/** base64ToBytes decodes standard base64 (the API's `p12`). */
export function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i += 1) out[i] = bin.charCodeAt(i);
  return out;
}

/** fileName makes a safe download name from a system's name ("Billing / prod" → "Billing_prod"). */
export function fileName(name: string, ext: string): string {
  const base = name.trim().replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^_+|_+$/g, '') || 'system';
  return `${base}${ext}`;
}
