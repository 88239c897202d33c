// Export as a file download, and reading an import file.
import type { ImportItem } from '../api/types';

/** downloadJson saves data as a pretty-printed JSON file. */
export function downloadJson(data: unknown, filename: string): void {
  const blob = new Blob([`${JSON.stringify(data, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** exportFilename names an export by date: custos-providers-2025-01-31.json. */
export function exportFilename(now = new Date()): string {
  return `custos-providers-${now.toISOString().slice(0, 10)}.json`;
}

/** parseImport reads an export file: a JSON array of providers (one object is taken as one provider). */
export function parseImport(text: string): { items?: ImportItem[]; error?: 'json' | 'shape' | 'empty' } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { error: 'json' };
  }
  const arr = Array.isArray(v) ? v : v && typeof v === 'object' ? [v] : null;
  if (!arr) return { error: 'shape' };
  if (arr.length === 0) return { error: 'empty' };
  if (!arr.every((x) => x && typeof x === 'object' && !Array.isArray(x))) return { error: 'shape' };
  return { items: arr as ImportItem[] };
}
