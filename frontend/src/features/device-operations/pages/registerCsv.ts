import type { Device } from '../api/operations';

/** csvCell quotes a value for CSV (RFC 4180) and defuses spreadsheet formulas. */
function csvCell(v: string): string {
  const safe = /^[=+\-@]/.test(v) ? `'${v}` : v;
  return /[",\r\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** registerCsv: the SKZI register as CSV, one device a line, dates as RFC 3339 / YYYY-MM-DD. */
export function registerCsv(rows: Device[], typeName: (d: Device) => string, header: string[]): string {
  const lines = [header, ...rows.map((d) => [typeName(d), d.serial, d.label, d.user_login, d.skzi_number, d.skzi_date, d.issued_at, d.revoked_at ?? ''])];
  return lines.map((l) => l.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
