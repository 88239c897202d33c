/** safeNext accepts only a same-origin path for the post-login redirect (no open redirect). */
export function safeNext(next: string | null | undefined, fallback = '/'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.startsWith('/login')) {
    return fallback;
  }
  return next;
}
