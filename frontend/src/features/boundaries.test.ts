// Feature boundaries. The rule: a file under src/features/<a>/ may import another feature
// <b> only through b's public surface, its index.ts (`../../b`, `../../b/index`), never a
// file inside it (`../../b/components/X`). What several features share belongs in
// src/components or src/lib; a feature exports from its index.ts only what it offers to
// the rest of the app on purpose (its pages, or a widget such as the user card's tokens tab).
import { describe, expect, it } from 'vitest';

const sources = import.meta.glob('./**/*.{ts,tsx}', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g;

/** resolve joins a relative specifier onto the importing file's directory ("./a/b.ts" based). */
function resolve(file: string, spec: string): string {
  const parts = file.split('/').slice(0, -1);
  for (const p of spec.split('/')) {
    if (p === '..') parts.pop();
    else if (p !== '.') parts.push(p);
  }
  return parts.join('/');
}

/** violations lists the imports of one file (path relative to src/features) that break the rule. */
export function violations(file: string, source: string): string[] {
  const [, own, ...inside] = file.split('/');
  const out: string[] = [];
  if (!own || inside.length === 0) return out; // not inside a feature folder (this test)
  for (const m of source.matchAll(SPECIFIER)) {
    const spec = m[1] ?? '';
    let target: string | undefined;
    if (spec.startsWith('.')) {
      const r = resolve(file, spec); // "./b/..." inside features, "../x" outside
      if (r.startsWith('./')) target = r.slice(2);
    } else {
      const i = spec.indexOf('features/');
      if (i >= 0) target = spec.slice(i + 'features/'.length);
    }
    if (!target) continue;
    const [feature, ...rest] = target.split('/');
    if (!feature || feature === own) continue;
    const viaIndex = rest.length === 0 || (rest.length === 1 && /^index(\.tsx?)?$/.test(rest[0] ?? ''));
    if (!viaIndex) out.push(`${file} imports ${spec}`);
  }
  return out;
}

describe('feature boundaries', () => {
  it('the rule tells an index import from a reach into another feature', () => {
    expect(violations('./users/pages/P.tsx', "import { A } from '../../access-tokens';")).toEqual([]);
    expect(violations('./users/pages/P.tsx', "import { A } from '../../access-tokens/index';")).toEqual([]);
    expect(violations('./users/pages/P.tsx', "import { A } from '../components/A';")).toEqual([]);
    expect(violations('./users/pages/P.tsx', "import { A } from '../../../components/DataTable';")).toEqual([]);
    expect(violations('./users/pages/P.tsx', "import { A } from '../../access-tokens/components/A';")).toHaveLength(1);
    expect(violations('./users/P.tsx', "export * from '../groups/api/groups';")).toHaveLength(1);
    expect(violations('./users/P.tsx', "const m = await import('../groups/pages/G');")).toHaveLength(1);
    expect(violations('./users/P.tsx', "import { A } from 'src/features/groups/api/groups';")).toHaveLength(1);
  });

  it('no feature imports another feature other than through its index.ts', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(20);
    const found = Object.entries(sources).flatMap(([file, source]) => violations(file, source));
    expect(found).toEqual([]);
  });
});
