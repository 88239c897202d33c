import { describe, expect, it, vi } from 'vitest';
import type { AgentClient, AgentToken } from '../../../lib/agent';
import { AgentError } from '../../../lib/agent';
import type { Issuance } from '../api/types';
import { FlowError, keyId, planSteps, reasonOf, runIssuance } from './flow';

const PIN = { count_low: false, final_try: false, locked: false, to_be_changed: false };
const TOKEN: AgentToken = { slot_id: 1, ref: 'SN1', serial: 'SN1', label: 'Mine', manufacturer: 'M', model: 'X', initialized: true,
  user_pin_initialized: true, min_pin_len: 4, max_pin_len: 32, user_pin: PIN, admin_pin: PIN };

function iss(policy: Partial<Issuance['policy']> = {}): Issuance {
  return {
    id: '12345678-aaaa-bbbb-cccc-000000000000', user_id: 'u', user_login: 'u', requested_by_login: 'u', device_type_id: 'dt', template_ids: ['t1'],
    state: 'approved', serial: '', device_id: null, skzi_number: '', skzi_date: '', decided_by_login: '', decision_comment: '', decided_at: null,
    error: '', certificates: [], version: 1, created_at: '', updated_at: '',
    policy: { id: 'p', name: 'p', approval_required: false, skzi_accounting: false, initialise_before_issuance: false, random_user_pin: false,
      random_user_pin_length: 0, smev_check: false, random_user_pin_email_user: false, random_user_pin_email_manager: false, ...policy },
  };
}

function fakeAgent() {
  return {
    tokens: vi.fn(async () => [TOKEN]),
    init: vi.fn(async (_ref: string, _body: { admin_pin: string; label: string }): Promise<AgentToken> => TOKEN),
    setUserPIN: vi.fn(async () => TOKEN),
    login: vi.fn(async () => TOKEN),
    keys: vi.fn(async (_ref: string, _body: unknown) => ({ csr: 'CSR' })),
    writeCertificate: vi.fn(async () => ({ fingerprint_sha256: 'AB' })),
    certificates: vi.fn(async () => [{ id: '01', label: '', subject: '', fingerprint_sha256: 'ab' }]),
  };
}

const TEMPLATES = [{ id: 't1', name: 'Sign-in', description: '', key_algorithm: 'rsa-2048', validity_days: 365, qualified: false }];

describe('issuance flow', () => {
  it('plans the steps the policy asks for, and no wipe when continuing', () => {
    const keys = (s: ReturnType<typeof planSteps>) => s.map((x) => x.key);
    const p = { initialise_before_issuance: true, random_user_pin: true, random_user_pin_email_manager: true };
    expect(keys(planSteps({ issuance: iss(p), templates: TEMPLATES }))).toEqual(['init', 'userPin', 'cert:t1', 'readBack', 'confirm', 'pinMail']);
    expect(keys(planSteps({ issuance: iss(p), templates: TEMPLATES, skipInit: true }))).toEqual(['userPin', 'cert:t1', 'readBack', 'confirm', 'pinMail']);
    expect(keys(planSteps({ issuance: iss(), templates: TEMPLATES, resume: { userPin: '1234', random: false } }))).toEqual(['cert:t1', 'readBack', 'confirm']);
    expect(keyId('12345678-aaaa', 0)).toBe('1234567801');
  });

  it('without wipe, random PIN or admin PIN checks the user PIN the device has instead of setting one', async () => {
    const agent = fakeAgent();
    const api = await import('../api/selfservice');
    vi.spyOn(api.issuanceApi, 'csr').mockResolvedValue({ id: 'c', template_id: 't1', serial: '1', fingerprint_sha256: 'ab', subject: '', not_after: '', pem: 'PEM', confirmed: false, revoked: false });
    const confirm = vi.spyOn(api.issuanceApi, 'confirm').mockResolvedValue({ ...iss(), state: 'issued' });
    const out = await runIssuance(
      { agent: agent as unknown as AgentClient, issuance: iss(), token: TOKEN, templates: TEMPLATES, adminPin: '', userPin: '2468', label: 'L' },
      () => undefined,
    );
    expect(agent.login).toHaveBeenCalledWith('SN1', '2468');
    expect(agent.setUserPIN).not.toHaveBeenCalled();
    expect(agent.keys).toHaveBeenCalledWith('SN1', { user_pin: '2468', algorithm: 'rsa-2048', id: '1234567801', label: 'Sign-in', replace: false });
    expect(confirm).toHaveBeenCalledWith(iss().id, { serial: 'SN1', label: 'Mine', fingerprints: ['ab'], admin_pin: undefined });
    expect(out.randomPin).toBeUndefined();
  });

  it('takes the device type\'s default PINs for the PINs left empty, from the server, for this issuance', async () => {
    const paths: string[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const path = new URL(String(input), 'http://x').pathname.replace('/api/v1', '');
      paths.push(`${init?.method ?? 'GET'} ${path}`);
      const body = path.endsWith('/default-pins')
        ? { areas: [{ code: 'pki', admin_pin: '87654321', user_pin: '12345678' }] }
        : path.endsWith('/csr') ? { pem: 'PEM' } : { ...iss(), state: 'issued' };
      return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
    });
    const agent = fakeAgent();
    await runIssuance(
      { agent: agent as unknown as AgentClient, issuance: iss({ initialise_before_issuance: true }), token: TOKEN, templates: TEMPLATES, adminPin: '', userPin: '', label: 'L' },
      () => undefined,
    );
    expect(paths).toContain(`POST /me/issuances/${iss().id}/default-pins`);
    expect(agent.init).toHaveBeenCalledWith('SN1', { admin_pin: '87654321', label: 'L' });
    expect(agent.setUserPIN).toHaveBeenCalledWith('SN1', { admin_pin: '87654321', new_pin: '12345678' });
  });

  it('stops before touching the device when no PIN it needs is known', async () => {
    vi.spyOn(globalThis, 'fetch').mockImplementation(async () =>
      new Response(JSON.stringify({ areas: [{ code: 'pki', admin_pin: '', user_pin: '' }] }), { status: 200, headers: { 'Content-Type': 'application/json' } }),
    );
    const agent = fakeAgent();
    const run = runIssuance(
      { agent: agent as unknown as AgentClient, issuance: iss({ initialise_before_issuance: true }), token: TOKEN, templates: TEMPLATES, adminPin: '', userPin: '', label: 'L' },
      () => undefined,
    );
    await expect(run).rejects.toEqual(new FlowError('needAdminPin'));
    expect(agent.init).not.toHaveBeenCalled();
  });

  it('describes a failure by step and code, never with a PIN', () => {
    const e = new AgentError({ status: 401, code: 'pin.incorrect', detail: 'the user PIN is incorrect', pin: 'user', retries_left_hint: 'low' });
    expect(reasonOf('cert:t1', e)).toBe('cert:t1: pin.incorrect (the user PIN is incorrect)');
  });

  it('sets the PINs of every PIN area, each on its own slot: the typed or default ones, one random PIN for the whole device; the keys go to the first', async () => {
    const gostBlank: AgentToken = { ...TOKEN, slot_id: 7, ref: 'slot-7', serial: '', label: '', initialized: false };
    const gost: AgentToken = { ...TOKEN, slot_id: 8, ref: 'GOST1', serial: 'GOST1' };
    const agent = fakeAgent();
    agent.tokens.mockResolvedValue([TOKEN, gostBlank]);
    agent.init.mockImplementation(async (ref: string) => (ref === 'slot-7' ? gost : TOKEN));
    const api = await import('../api/selfservice');
    vi.spyOn(api.issuanceApi, 'csr').mockResolvedValue({ id: 'c', template_id: 't1', serial: '1', fingerprint_sha256: 'ab', subject: '', not_after: '', pem: 'PEM', confirmed: false, revoked: false });
    vi.spyOn(api.issuanceApi, 'confirm').mockResolvedValue({ ...iss(), state: 'issued' });
    const defaults = vi.spyOn(api, 'defaultPINs').mockResolvedValue({ areas: [{ code: 'pki', admin_pin: '87654321', user_pin: '12345678' }, { code: 'gost', admin_pin: '11112222', user_pin: '33334444' }] });
    const seen: string[] = [];
    const input = { agent: agent as unknown as AgentClient, issuance: iss({ initialise_before_issuance: true, random_user_pin: true, random_user_pin_length: 8 }),
      token: TOKEN, templates: TEMPLATES, adminPin: '', userPin: '', label: 'Staff token',
      extraAreas: [{ code: 'gost', name: 'ГОСТ', token: gostBlank, adminPin: '', userPin: '' }] };
    expect(planSteps(input).map((x) => x.key)).toEqual(['init', 'userPin', 'area:gost', 'cert:t1', 'readBack', 'confirm']);
    const out = await runIssuance(input, (key, status) => status === 'finish' && seen.push(key));
    expect(seen).toEqual(['init', 'userPin', 'area:gost', 'cert:t1', 'readBack', 'confirm']);
    expect(defaults).toHaveBeenCalledTimes(1);
    expect(agent.init).toHaveBeenCalledWith('SN1', { admin_pin: '87654321', label: 'Staff token' });
    expect(agent.init).toHaveBeenCalledWith('slot-7', { admin_pin: '11112222', label: 'GOST Staff token' });
    expect(out.randomPin).toMatch(/^\d{8}$/);
    expect(agent.setUserPIN).toHaveBeenCalledWith('SN1', { admin_pin: '87654321', new_pin: out.randomPin });
    expect(agent.setUserPIN).toHaveBeenCalledWith('GOST1', { admin_pin: '11112222', new_pin: out.randomPin });
    expect(agent.keys).toHaveBeenCalledTimes(1);
    expect(agent.keys.mock.calls[0]?.[0]).toBe('SN1');
  });

  it('a typed PIN of a second area is its own, and a missing slot stops the flow before any key', async () => {
    const gost: AgentToken = { ...TOKEN, slot_id: 8, ref: 'GOST1', serial: 'GOST1' };
    const agent = fakeAgent();
    agent.tokens.mockResolvedValue([TOKEN, gost]);
    const api = await import('../api/selfservice');
    vi.spyOn(api.issuanceApi, 'csr').mockResolvedValue({ id: 'c', template_id: 't1', serial: '1', fingerprint_sha256: 'ab', subject: '', not_after: '', pem: 'PEM', confirmed: false, revoked: false });
    vi.spyOn(api.issuanceApi, 'confirm').mockResolvedValue({ ...iss(), state: 'issued' });
    await runIssuance({ agent: agent as unknown as AgentClient, issuance: iss(), token: TOKEN, templates: TEMPLATES, adminPin: '99990000', userPin: '2468', label: 'L',
      extraAreas: [{ code: 'gost', name: 'ГОСТ', token: gost, adminPin: '55556666', userPin: '1357' }] }, () => undefined);
    expect(agent.setUserPIN).toHaveBeenCalledWith('SN1', { admin_pin: '99990000', new_pin: '2468' });
    expect(agent.setUserPIN).toHaveBeenCalledWith('GOST1', { admin_pin: '55556666', new_pin: '1357' });

    const gone = fakeAgent();
    gone.tokens.mockResolvedValue([TOKEN]);
    await expect(runIssuance({ agent: gone as unknown as AgentClient, issuance: iss(), token: TOKEN, templates: TEMPLATES, adminPin: '99990000', userPin: '2468', label: 'L',
      extraAreas: [{ code: 'gost', name: 'ГОСТ', token: gost, adminPin: '55556666', userPin: '1357' }] }, () => undefined)).rejects.toEqual(new FlowError('tokenGone'));
    expect(gone.keys).not.toHaveBeenCalled();
  });
});
