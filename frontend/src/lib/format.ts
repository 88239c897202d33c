import dayjs from 'dayjs';

/** formatDateTime shows an RFC 3339 time in the browser's zone, or a dash. */
export function formatDateTime(v: string | null | undefined): string {
  if (!v) return '—';
  const d = dayjs(v);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm:ss') : v;
}

/** formatNumber groups digits the way the language does (10 000 / 10,000). */
export function formatNumber(n: number, lang: string): string {
  return new Intl.NumberFormat(lang === 'ru' ? 'ru-RU' : 'en-US').format(n);
}
