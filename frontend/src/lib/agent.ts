// The client of custos-agent, the device agent on the workstation (README «The device agent
// (custos-agent)»): plain HTTP on loopback, paired once with this console's origin by the
// code the agent prints; the pairing secret is kept in this origin's localStorage. No PIN
// is ever kept or logged here: PINs go into request bodies and nowhere else.

export const DEFAULT_AGENT_URL = 'http://127.0.0.1:7443';
const URL_KEY = 'custos.agent.url';
const SECRET_KEY = 'custos.agent.secret';

/** AgentStatus answers GET /status. */
export interface AgentStatus {
  agent: string;
  version: string;
  protocol: number;
  module: string;
  paired: boolean;
}

/** PINState is what a token's flags say about one PIN's retry counter. */
export interface PINState {
  count_low: boolean;
  final_try: boolean;
  locked: boolean;
  to_be_changed: boolean;
}

/** AgentToken is one token as its slot reports it; `ref` addresses it in the agent's paths. */
export interface AgentToken {
  slot_id: number;
  ref: string;
  label: string;
  serial: string;
  manufacturer: string;
  model: string;
  initialized: boolean;
  user_pin_initialized: boolean;
  min_pin_len: number;
  max_pin_len: number;
  user_pin: PINState;
  admin_pin: PINState;
}

export interface AgentCertificate {
  id: string;
  label: string;
  subject: string;
  fingerprint_sha256: string;
}

/** AgentError: a refusal of the agent (problem+json), or `agent.unreachable` when nothing answers. */
export class AgentError extends Error {
  readonly status: number;
  readonly code: string;
  readonly pin?: 'user' | 'admin';
  readonly retriesLeftHint?: 'low' | 'final' | 'locked' | 'unknown';
  readonly detail: string;
  constructor(p: { status: number; code: string; detail?: string; pin?: string; retries_left_hint?: string }) {
    super(p.detail || p.code);
    this.name = 'AgentError';
    this.status = p.status;
    this.code = p.code;
    this.detail = p.detail ?? '';
    if (p.pin === 'user' || p.pin === 'admin') this.pin = p.pin;
    const h = p.retries_left_hint;
    if (h === 'low' || h === 'final' || h === 'locked' || h === 'unknown') this.retriesLeftHint = h;
  }
}

export function isAgentError(e: unknown): e is AgentError {
  return e instanceof AgentError;
}

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null) {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // Storage unavailable: the pairing lasts this page only.
  }
}

/** agentUrl is the agent's address this browser uses (configurable on the page). */
export function agentUrl(): string {
  return read(URL_KEY) || DEFAULT_AGENT_URL;
}

export function setAgentUrl(url: string) {
  write(URL_KEY, url.trim().replace(/\/+$/, '') || null);
}

/** AgentClient calls one agent with this origin's pairing secret. */
export class AgentClient {
  readonly base: string;
  constructor(base: string = agentUrl()) {
    this.base = base.replace(/\/+$/, '');
  }

  private secretKey() {
    return `${SECRET_KEY}:${this.base}`;
  }

  get secret(): string | null {
    return read(this.secretKey());
  }

  forget() {
    write(this.secretKey(), null);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const secret = this.secret;
    if (secret) headers.Authorization = `Bearer ${secret}`;
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        mode: 'cors',
        credentials: 'omit',
      });
    } catch (e) {
      throw new AgentError({ status: 0, code: 'agent.unreachable', detail: e instanceof Error ? e.message : String(e) });
    }
    const text = await res.text();
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = undefined;
    }
    if (!res.ok) {
      const p = (data ?? {}) as { code?: string; detail?: string; pin?: string; retries_left_hint?: string };
      throw new AgentError({ status: res.status, code: p.code || `agent.http${res.status}`, detail: p.detail, pin: p.pin, retries_left_hint: p.retries_left_hint });
    }
    return data as T;
  }

  status() {
    return this.call<AgentStatus>('GET', '/status');
  }

  /** pairStart makes the agent print a new one-time code on its terminal (never over HTTP). */
  async pairStart(): Promise<void> {
    await this.call<unknown>('POST', '/pair/start');
  }

  /** pair sends the code the agent printed and keeps the secret it answers for this origin. */
  async pair(code: string): Promise<void> {
    const out = await this.call<{ secret: string }>('POST', '/pair', { code: code.trim(), origin: window.location.origin });
    write(this.secretKey(), out.secret);
  }

  async tokens(): Promise<AgentToken[]> {
    return (await this.call<{ items: AgentToken[] | null }>('GET', '/tokens')).items ?? [];
  }

  init(ref: string, body: { admin_pin: string; label: string }) {
    return this.call<AgentToken>('POST', `/tokens/${encodeURIComponent(ref)}/init`, body);
  }

  setUserPIN(ref: string, body: { admin_pin: string; new_pin: string } | { old_pin: string; new_pin: string }) {
    return this.call<AgentToken>('POST', `/tokens/${encodeURIComponent(ref)}/user-pin`, body);
  }

  /** login checks a user PIN (a wrong one costs a retry, as on the token). */
  login(ref: string, userPin: string) {
    return this.call<AgentToken>('POST', `/tokens/${encodeURIComponent(ref)}/login`, { user_pin: userPin });
  }

  keys(ref: string, body: { user_pin: string; algorithm: string; id: string; label: string; replace?: boolean }) {
    return this.call<{ csr: string }>('POST', `/tokens/${encodeURIComponent(ref)}/keys`, body);
  }

  writeCertificate(ref: string, body: { user_pin: string; id: string; label: string; pem: string }) {
    return this.call<{ fingerprint_sha256: string }>('POST', `/tokens/${encodeURIComponent(ref)}/certificates`, body);
  }

  async certificates(ref: string): Promise<AgentCertificate[]> {
    return (await this.call<{ items: AgentCertificate[] | null }>('GET', `/tokens/${encodeURIComponent(ref)}/certificates`)).items ?? [];
  }
}

/** randomPIN makes a PIN of `length` digits from crypto.getRandomValues (no modulo bias). */
export function randomPIN(length: number): string {
  const out: string[] = [];
  const buf = new Uint8Array(1);
  while (out.length < length) {
    crypto.getRandomValues(buf);
    const b = buf[0] as number;
    if (b < 250) out.push(String(b % 10));
  }
  return out.join('');
}
