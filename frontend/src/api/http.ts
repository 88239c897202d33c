// The one fetch wrapper of the SPA: same-origin credentials, JSON bodies, the
// CSRF header on state-changing methods, and problem+json turned into ApiError.
import type { FieldError, Problem } from './types';

export const API_BASE = '/api/v1';
export const CSRF_COOKIE = 'custos_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

/** ApiError is every failed request, typed from the server's problem+json. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly title: string;
  readonly errors: FieldError[];
  readonly current: unknown;
  readonly requestId?: string;
  readonly retryAfter?: number;
  /** The second factors a step-up accepts (401 auth.stepUpRequired). */
  readonly methods: string[];

  constructor(init: {
    status: number;
    code: string;
    detail?: string;
    title?: string;
    errors?: FieldError[];
    current?: unknown;
    requestId?: string;
    retryAfter?: number;
    methods?: string[];
  }) {
    super(init.detail || init.title || init.code);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.detail = init.detail ?? '';
    this.title = init.title ?? '';
    this.errors = init.errors ?? [];
    this.current = init.current;
    this.requestId = init.requestId;
    this.retryAfter = init.retryAfter;
    this.methods = init.methods ?? [];
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

type UnauthenticatedHandler = () => void;
let onUnauthenticated: UnauthenticatedHandler | null = null;

/** StepUpHandler asks the person to prove their second factor again; true when they did. */
export type StepUpHandler = (methods: string[]) => Promise<boolean>;
let onStepUp: StepUpHandler | null = null;

/** setStepUpHandler registers what answers 401 auth.stepUpRequired (the step-up dialog). */
export function setStepUpHandler(fn: StepUpHandler | null): void {
  onStepUp = fn;
}

/** setUnauthenticatedHandler registers what happens on 401 auth.unauthenticated (the app goes to /login). */
export function setUnauthenticatedHandler(fn: UnauthenticatedHandler | null): void {
  onUnauthenticated = fn;
}

export function readCookie(name: string): string | undefined {
  const prefix = `${name}=`;
  for (const part of document.cookie.split(';')) {
    const p = part.trim();
    if (p.startsWith(prefix)) return decodeURIComponent(p.slice(prefix.length));
  }
  return undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type QueryValue = string | number | boolean | undefined | null;

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
  /** Do not send the app to /login on 401 (used by /auth/me and /auth/login). */
  skipAuthRedirect?: boolean;
  /** Answer 401 auth.stepUpRequired as an error instead of asking for a step-up and retrying. */
  skipStepUp?: boolean;
}

export function buildQuery(query?: Record<string, QueryValue>): string {
  if (!query) return '';
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

/**
 * ensureCsrfCookie makes sure the CSRF cookie exists before a state-changing
 * request: the server sets it on any response lacking it, so one cheap GET does.
 */
async function ensureCsrfCookie(): Promise<string | undefined> {
  const existing = readCookie(CSRF_COOKIE);
  if (existing) return existing;
  try {
    await fetch(`${API_BASE}/auth/me`, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  } catch {
    // The real request below reports the network failure.
  }
  return readCookie(CSRF_COOKIE);
}

async function toApiError(res: Response): Promise<ApiError> {
  const retryHeader = res.headers.get('Retry-After');
  const retryAfter = retryHeader && /^\d+$/.test(retryHeader) ? Number(retryHeader) : undefined;
  const ct = res.headers.get('Content-Type') ?? '';
  let problem: Partial<Problem> = {};
  if (ct.includes('json')) {
    try {
      problem = (await res.json()) as Partial<Problem>;
    } catch {
      problem = {};
    }
  }
  return new ApiError({
    status: res.status,
    code: typeof problem.code === 'string' && problem.code ? problem.code : `http.${res.status}`,
    detail: problem.detail ?? res.statusText,
    title: problem.title,
    errors: Array.isArray(problem.errors) ? problem.errors : [],
    current: problem.current,
    requestId: problem.request_id,
    retryAfter,
    methods: Array.isArray(problem.methods) ? problem.methods : [],
  });
}

/** request performs one API call under /api/v1 and returns the parsed JSON (undefined for 204). */
export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const m = method.toUpperCase();
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (!SAFE_METHODS.has(m)) {
    const token = await ensureCsrfCookie();
    if (token) headers[CSRF_HEADER] = token;
  }
  let res: Response;
  try {
    res = await fetch(`${API_BASE}${path}${buildQuery(opts.query)}`, {
      method: m,
      credentials: 'same-origin',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError({ status: 0, code: 'network.failed', detail: e instanceof Error ? e.message : String(e) });
  }
  if (!res.ok) {
    const err = await toApiError(res);
    if (err.status === 401 && err.code === 'auth.unauthenticated' && !opts.skipAuthRedirect) {
      onUnauthenticated?.();
    }
    // An operation that matters asked for the second factor again: ask in place, then
    // repeat the request once; a cancelled step-up answers the refusal itself.
    if (err.status === 401 && err.code === 'auth.stepUpRequired' && onStepUp && !opts.skipStepUp) {
      if (await onStepUp(err.methods)) return request<T>(method, path, { ...opts, skipStepUp: true });
    }
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const http = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, { ...opts, body }),
  put: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PUT', path, { ...opts, body }),
  patch: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PATCH', path, { ...opts, body }),
  delete: <T = void>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, opts),
};
