import '@testing-library/jest-dom/vitest';
import { afterEach, beforeEach, vi } from 'vitest';
import { cleanup, configure, getConfig, prettyDOM } from '@testing-library/react';
import i18n from '../i18n';

// The first render of a lazy route loads its chunk, which on a loaded 2-core machine can take
// seconds; still below the test timeout, so a query that never matches fails with the DOM.
configure({
  asyncUtilTimeout: 15000,
  // A findBy/waitFor retries its query every 50 ms, and each miss used to print the whole
  // DOM into an error that the next retry throws away. While retrying, leave the DOM out:
  // waitFor adds it once when it gives up, so a failure reads as before.
  getElementError(message, container) {
    const retrying = (getConfig() as { _disableExpensiveErrorDiagnostics?: boolean })._disableExpensiveErrorDiagnostics;
    const dom = retrying ? '' : prettyDOM(container);
    const error = new Error([message, dom && `Ignored nodes: comments, ${getConfig().defaultIgnore}\n${dom}`].filter(Boolean).join('\n\n'));
    error.name = 'TestingLibraryElementError';
    return error;
  },
});

// jsdom lacks matchMedia, which antd's responsive helpers use.
if (!window.matchMedia) {
  Object.defineProperty(window, 'matchMedia', {
    writable: true,
    value: (query: string) => ({
      matches: false,
      media: query,
      onchange: null,
      addListener: vi.fn(),
      removeListener: vi.fn(),
      addEventListener: vi.fn(),
      removeEventListener: vi.fn(),
      dispatchEvent: vi.fn(),
    }),
  });
}

// antd measures scrollbars through getComputedStyle with a pseudo element, which jsdom does not implement.
const realGetComputedStyle = window.getComputedStyle.bind(window);
window.getComputedStyle = (elt: Element, _pseudo?: string | null) => realGetComputedStyle(elt);

beforeEach(async () => {
  window.localStorage.clear();
  // The SPA's first unauthenticated render tries the server's silent sign-in once per tab
  // (app/silentEntry.ts); tests start as if it had been tried, its own test clears this.
  window.sessionStorage.clear();
  window.sessionStorage.setItem('custos.silentEntryTried', '1');
  await i18n.changeLanguage('en');
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  document.cookie.split(';').forEach((c) => {
    const name = c.split('=')[0]?.trim();
    if (name) document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`;
  });
});
