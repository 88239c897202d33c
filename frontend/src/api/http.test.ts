import { describe, expect, it, vi } from 'vitest';
import { jsonResponse } from '../test/render';
import { ApiError, CSRF_HEADER, http, setUnauthenticatedHandler } from './http';

function mockFetch(...responses: Response[]) {
  const fn = vi.fn<typeof fetch>();
  responses.forEach((r) => fn.mockResolvedValueOnce(r));
  vi.stubGlobal('fetch', fn);
  return fn;
}

function headersOf(call: Parameters<typeof fetch> | undefined): Record<string, string> {
  return ((call?.[1]?.headers ?? {}) as Record<string, string>);
}

describe('http wrapper', () => {
  it('sends the CSRF cookie as X-CSRF-Token on state-changing methods only', async () => {
    document.cookie = 'custos_csrf=tok%2B123';
    const f = mockFetch(jsonResponse({ ok: 1 }), jsonResponse({ id: 'u1' }, 201), new Response(null, { status: 204 }));
    await http.get('/users');
    await http.post('/users', { login: 'alice' });
    await http.delete('/users/u1');

    expect(headersOf(f.mock.calls[0])[CSRF_HEADER]).toBeUndefined();
    expect(headersOf(f.mock.calls[1])[CSRF_HEADER]).toBe('tok+123');
    expect(headersOf(f.mock.calls[2])[CSRF_HEADER]).toBe('tok+123');
    expect(f.mock.calls[1]?.[0]).toBe('/api/v1/users');
    expect(f.mock.calls[1]?.[1]).toMatchObject({ method: 'POST', credentials: 'same-origin', body: '{"login":"alice"}' });
    expect(headersOf(f.mock.calls[1])['Content-Type']).toBe('application/json');
  });

  it('fetches the CSRF cookie first when it is missing', async () => {
    const f = vi.fn<typeof fetch>(async (input) => {
      if (String(input) === '/api/v1/auth/me') {
        document.cookie = 'custos_csrf=fresh';
        return jsonResponse({ status: 401, code: 'auth.unauthenticated' }, 401);
      }
      return jsonResponse({ id: 'u1' }, 201);
    });
    vi.stubGlobal('fetch', f);
    await http.post('/users', { login: 'bob' });
    expect(f).toHaveBeenCalledTimes(2);
    expect(headersOf(f.mock.calls[1])[CSRF_HEADER]).toBe('fresh');
  });

  it('builds the query string and drops empty values', async () => {
    const f = mockFetch(jsonResponse({ items: [], total: 0, page: 1, page_size: 20 }));
    await http.get('/users', { query: { q: 'иван', active: 'true', user_type_id: undefined, page: 2, sort: '' } });
    expect(f.mock.calls[0]?.[0]).toBe('/api/v1/users?q=%D0%B8%D0%B2%D0%B0%D0%BD&active=true&page=2');
  });

  it('turns problem+json into a typed ApiError with field errors and the current state', async () => {
    document.cookie = 'custos_csrf=x';
    mockFetch(
      jsonResponse(
        {
          type: 'about:blank',
          title: 'Conflict',
          status: 409,
          detail: 'version is stale',
          code: 'resource.versionConflict',
          request_id: 'req-1',
          errors: [{ field: 'login', code: 'taken', message: 'login is taken' }],
          current: { id: 'u1', version: 7 },
        },
        409,
      ),
    );
    const err = await http.patch('/users/u1', { version: 6 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.status).toBe(409);
    expect(e.code).toBe('resource.versionConflict');
    expect(e.detail).toBe('version is stale');
    expect(e.errors).toEqual([{ field: 'login', code: 'taken', message: 'login is taken' }]);
    expect(e.current).toEqual({ id: 'u1', version: 7 });
    expect(e.requestId).toBe('req-1');
  });

  it('reads Retry-After on 429 and falls back to http.<status> for non-problem bodies', async () => {
    document.cookie = 'custos_csrf=x';
    mockFetch(
      jsonResponse({ status: 429, code: 'auth.tooManyAttempts', detail: 'slow down' }, 429, { 'Retry-After': '30' }),
      new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway', headers: { 'Content-Type': 'text/html' } }),
    );
    const a = (await http.post('/auth/login', {}).catch((e: unknown) => e)) as ApiError;
    expect(a.code).toBe('auth.tooManyAttempts');
    expect(a.retryAfter).toBe(30);
    const b = (await http.get('/users').catch((e: unknown) => e)) as ApiError;
    expect(b.code).toBe('http.502');
    expect(b.status).toBe(502);
  });

  it('calls the unauthenticated handler on 401 auth.unauthenticated unless told not to', async () => {
    const handler = vi.fn();
    setUnauthenticatedHandler(handler);
    mockFetch(
      jsonResponse({ status: 401, code: 'auth.unauthenticated' }, 401),
      jsonResponse({ status: 401, code: 'auth.unauthenticated' }, 401),
      jsonResponse({ status: 401, code: 'auth.invalidCredentials' }, 401),
    );
    await expect(http.get('/users')).rejects.toMatchObject({ status: 401 });
    expect(handler).toHaveBeenCalledTimes(1);
    await expect(http.get('/auth/me', { skipAuthRedirect: true })).rejects.toMatchObject({ code: 'auth.unauthenticated' });
    await expect(http.get('/x')).rejects.toMatchObject({ code: 'auth.invalidCredentials' });
    expect(handler).toHaveBeenCalledTimes(1);
    setUnauthenticatedHandler(null);
  });

  it('reports a network failure as ApiError network.failed', async () => {
    vi.stubGlobal('fetch', vi.fn<typeof fetch>().mockRejectedValue(new TypeError('Failed to fetch')));
    await expect(http.get('/users')).rejects.toMatchObject({ status: 0, code: 'network.failed' });
  });
});
