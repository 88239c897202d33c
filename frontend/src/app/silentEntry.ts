// Seamless entry (SPEC §5.2 oidc_cookie): the first visit without a session goes once
// through the server's silent OpenID round trip (prompt=none). The server lands on
// /login?next=… when there is no OpenID Cookie provider or no session at the provider,
// and the per-tab marker keeps the SPA from trying again (no redirect loop).
const TRIED = 'custos.silentEntryTried';

/** silentEntry.navigate leaves the SPA for the server (tests replace it). */
export const silentEntry = {
  navigate: (url: string) => window.location.assign(url),
};

/** trySilentEntry starts the silent sign-in unless this tab tried already; false = show the login page. */
export function trySilentEntry(next: string): boolean {
  try {
    if (window.sessionStorage.getItem(TRIED)) return false;
    window.sessionStorage.setItem(TRIED, '1');
  } catch {
    return false; // storage blocked: never risk a loop
  }
  silentEntry.navigate(`/api/v1/auth/oidc/silent?next=${encodeURIComponent(next)}`);
  return true;
}

/** markSilentEntryTried stops the SPA from trying the silent sign-in in this tab (after a sign-out, say). */
export function markSilentEntryTried(): void {
  try {
    window.sessionStorage.setItem(TRIED, '1');
  } catch {
    // Nothing to remember with.
  }
}
