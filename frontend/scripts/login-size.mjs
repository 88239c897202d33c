// Prints (and checks) the gzip size of the JavaScript the login route loads:
// the entry chunk, the login page's lazy chunk and everything they import statically
// (the bundler preloads those with the chunk).
// Usage: npm run build && npm run size
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const LIMIT = 300 * 1024;
const dist = new URL('../dist/', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));

const seen = new Set();
function walk(key) {
  if (seen.has(key)) return;
  seen.add(key);
  for (const dep of manifest[key]?.imports ?? []) walk(dep);
}
const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
walk(entry);
// The login page is a lazy chunk the entry imports dynamically (src/features/auth/login.ts,
// the page alone). Not finding it is an error: the sum would be short.
const dynamic = manifest[entry].dynamicImports ?? [];
const login = dynamic.find((k) => k.endsWith('src/features/auth/login.ts'));
if (!login) {
  console.error('cannot find the login page chunk (src/features/auth) in the manifest');
  process.exit(1);
}
walk(login);

let total = 0;
for (const key of seen) {
  const file = manifest[key].file;
  if (!file.endsWith('.js')) continue;
  const size = gzipSync(readFileSync(join(dist, file))).length;
  total += size;
  console.log(`${(size / 1024).toFixed(1).padStart(8)} KB  ${file}`);
}
console.log(`${(total / 1024).toFixed(1).padStart(8)} KB  login route JavaScript, gzip (limit ${LIMIT / 1024} KB)`);
if (total > LIMIT) {
  console.error('login route JavaScript is over the limit');
  process.exit(1);
}
