import { describe, expect, it, vi } from 'vitest';
import { AgentClient, AgentError, agentUrl, randomPIN, setAgentUrl } from './agent';

function respond(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });
}

describe('agent client', () => {
  it('pairs with the printed code and this origin, keeps the secret per agent address and sends it after', async () => {
    const seen: { url: string; init?: RequestInit }[] = [];
    vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
      seen.push({ url, init });
      if (url.endsWith('/pair')) return respond({ secret: 's3cret', origin: window.location.origin });
      return respond({ items: [] });
    });
    const agent = new AgentClient('http://127.0.0.1:7443/');
    await agent.pair(' 12345678 ');
    expect(seen[0]?.url).toBe('http://127.0.0.1:7443/pair');
    expect(JSON.parse(String(seen[0]?.init?.body))).toEqual({ code: '12345678', origin: window.location.origin });
    await agent.tokens();
    expect((seen[1]?.init?.headers as Record<string, string>).Authorization).toBe('Bearer s3cret');
    expect(new AgentClient('http://127.0.0.1:9000').secret).toBeNull();
    agent.forget();
    expect(new AgentClient('http://127.0.0.1:7443').secret).toBeNull();
  });

  it('remembers a changed agent address, defaulting to 127.0.0.1:7443', () => {
    expect(agentUrl()).toBe('http://127.0.0.1:7443');
    setAgentUrl('http://127.0.0.1:8555/ ');
    expect(agentUrl()).toBe('http://127.0.0.1:8555');
  });

  it('turns a wrong PIN into an error with the retry hint, and no answer into agent.unreachable', async () => {
    vi.stubGlobal('fetch', async () => respond({ status: 401, code: 'pin.incorrect', detail: 'the user PIN is incorrect', pin: 'user', retries_left_hint: 'final' }, 401));
    const agent = new AgentClient();
    const err = await agent.keys('ABC', { user_pin: '1', algorithm: 'ecdsa-p256', id: '01', label: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentError);
    expect(err).toMatchObject({ status: 401, code: 'pin.incorrect', pin: 'user', retriesLeftHint: 'final' });
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(agent.status()).rejects.toMatchObject({ code: 'agent.unreachable', status: 0 });
  });

  it('makes random PINs of digits of the length asked, from crypto.getRandomValues', () => {
    const spy = vi.spyOn(crypto, 'getRandomValues');
    const pins = Array.from({ length: 20 }, () => randomPIN(8));
    expect(spy).toHaveBeenCalled();
    for (const p of pins) expect(p).toMatch(/^\d{8}$/);
    expect(new Set(pins).size).toBeGreaterThan(15);
    expect(randomPIN(12)).toHaveLength(12);
  });
});
