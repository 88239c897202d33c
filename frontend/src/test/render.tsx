// Rendering helpers for tests: the app's providers around a route, with the current URL visible.
import type { ReactElement, ReactNode } from 'react';
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { vi } from 'vitest';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { QueryClient } from '@tanstack/react-query';
import AntApp from 'antd/es/app';
import ConfigProvider from 'antd/es/config-provider';
import { StyleProvider } from '@ant-design/cssinjs';
import { AppProviders } from '../app/providers';
import { AppRoutes } from '../app/routes';

/**
 * TestProviders: the app's providers, tuned for jsdom. antd's CSS-in-JS runs as on a server
 * (rules are generated, never inserted): jsdom's getComputedStyle matches every rule of
 * every sheet for an element and again for each ancestor, and getByRole and toBeVisible
 * call it per element, so thousands of antd rules in the document made one query take
 * seconds. Motion and the click wave are off: nothing in a test waits on them.
 */
export function TestProviders({ children, queryClient }: { children: ReactNode; queryClient: QueryClient }) {
  return (
    <StyleProvider mock="server">
      <AppProviders queryClient={queryClient}>
        <ConfigProvider theme={{ token: { motion: false } }} wave={{ disabled: true }}>
          {children}
        </ConfigProvider>
      </AppProviders>
    </StyleProvider>
  );
}

/** LocationProbe writes the current path and search into the DOM for assertions. */
export function LocationProbe() {
  const loc = useLocation();
  return <output data-testid="location">{loc.pathname + loc.search}</output>;
}

export function currentUrl(): URL {
  const text = document.querySelector('[data-testid="location"]')?.textContent ?? '/';
  return new URL(text, 'http://localhost');
}

export function newTestQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: Infinity }, mutations: { retry: false } } });
}

interface Options {
  route?: string;
  path?: string;
  extraRoutes?: ReactNode;
  queryClient?: QueryClient;
}

export function renderAt(ui: ReactElement, { route = '/', path = '*', extraRoutes, queryClient }: Options = {}) {
  const client = queryClient ?? newTestQueryClient();
  const result = render(
    <TestProviders queryClient={client}>
      <AntApp>
        <MemoryRouter initialEntries={[route]}>
          <Routes>
            <Route path={path} element={ui} />
            {extraRoutes}
          </Routes>
          <LocationProbe />
        </MemoryRouter>
      </AntApp>
    </TestProviders>,
  );
  return { ...result, queryClient: client };
}

/** renderApp renders the whole route table at a URL, as the browser would. */
export function renderApp(route: string, queryClient?: QueryClient) {
  const client = queryClient ?? newTestQueryClient();
  const result = render(
    <TestProviders queryClient={client}>
      <MemoryRouter initialEntries={[route]}>
        <AppRoutes />
        <LocationProbe />
      </MemoryRouter>
    </TestProviders>,
  );
  return { ...result, queryClient: client };
}

/** jsonResponse builds a fetch Response with a JSON body. */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  const problem = status >= 400;
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': problem ? 'application/problem+json' : 'application/json', ...headers },
  });
}

/** setupUser: user-event without the pointer-events style walk, which is slow under antd in jsdom. */
export function setupUser() {
  return userEvent.setup({ pointerEventsCheck: 0 });
}

/**
 * pasteInto puts text into a field at once, for tests where the value matters and typing
 * does not: every typed key re-renders the whole antd form.
 */
export async function pasteInto(user: ReturnType<typeof setupUser>, field: HTMLElement, text: string) {
  await user.click(field);
  await user.paste(text);
}

type Handler = (req: { method: string; path: string; url: URL; body: unknown }) => Response | undefined;

/** mockApi stubs fetch with a handler per request; unhandled requests fail the test loudly. */
export function mockApi(handler: Handler) {
  const calls: { method: string; path: string; url: URL; body: unknown }[] = [];
  const fn = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input), 'http://localhost');
    const method = (init?.method ?? 'GET').toUpperCase();
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    const req = { method, path: url.pathname.replace(/^\/api\/v1/, ''), url, body };
    calls.push(req);
    const res = handler(req);
    if (!res) throw new Error(`unexpected request ${method} ${url.pathname}${url.search}`);
    return res;
  };
  vi.stubGlobal('fetch', fn);
  return calls;
}
