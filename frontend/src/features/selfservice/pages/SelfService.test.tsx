import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import i18n from '../../../i18n';
import { jsonResponse, pasteInto, renderApp, setupUser } from '../../../test/render';
import { makeMe } from '../../../test/fixtures';
import { TID, issueAdminPinTestId } from '../../../testids';
import type { AgentToken } from '../../../lib/agent';
import type { Issuance, IssuanceOptions, MyDevice, MyDevicePolicy, SecretQuestions } from '../api/types';

type Req = { method: string; path: string; url: URL; body: unknown };

const AGENT = 'http://127.0.0.1:7443';

function policy(over: Partial<MyDevicePolicy> = {}): MyDevicePolicy {
  return {
    id: 'p1', name: 'Staff', self_issuance_allowed: true, initialise_before_issuance: true,
    random_user_pin: { enabled: true, length: 8, show_once: true, email_user: true, email_manager: false }, secret_questions_required: 0,
    skzi_accounting: false, approval_required: false, smev_check: false, smev_form_editable: false, user_may_choose_templates: false, ...over,
  };
}

/** options: the policy with both templates; `only` keeps the ones a test's policy names. */
function options(p: MyDevicePolicy | null = policy(), only: string[] = ['t1', 't2']): IssuanceOptions {
  const t = { description: '', validity_days: 365 };
  return {
    policy: p,
    device_types: [{ id: 'dt1', name: 'Rutoken ECP 3.0', vendor: 'Aktiv', model: 'ECP 3.0', description: '', pin_rules: { charset: 'digits', min_length: 6, max_length: 32 },
      retry_counts: { admin: 10, user: 10 }, version: 1, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z',
      pin_areas: [{ code: 'pki', name: 'PKI', has_default_admin_pin: true, has_default_user_pin: true }] }],
    templates: [{ id: 't1', name: 'Sign-in', key_algorithm: 'ecdsa-p256', qualified: false, ...t }, { id: 't2', name: 'Qualified signature', key_algorithm: 'rsa-2048', qualified: true, ...t }]
      .filter((x) => only.includes(x.id)),
  };
}

function issuance(over: Partial<Issuance> = {}): Issuance {
  const p = options().policy as MyDevicePolicy;
  return {
    id: 'aaaabbbb-0000-0000-0000-000000000001', user_id: 'admin', user_login: 'tech_admin', requested_by_login: 'tech_admin', device_type_id: 'dt1',
    template_ids: ['t1'], state: 'approved', serial: '', device_id: null, skzi_number: '', skzi_date: '', decided_by_login: '', decision_comment: '',
    decided_at: null, error: '', certificates: [], version: 1, created_at: '2026-12-01T00:00:00Z', updated_at: '2026-12-01T00:00:00Z',
    policy: { id: p.id, name: p.name, approval_required: false, skzi_accounting: false, initialise_before_issuance: true, random_user_pin: true,
      random_user_pin_length: 8, smev_check: false, random_user_pin_email_user: true, random_user_pin_email_manager: false },
    ...over,
  };
}

const DEVICE: MyDevice = {
  id: 'd1', user_id: 'admin', user_login: 'tech_admin', device_type_id: 'dt1', serial: '0A1B2C3D', label: 'Rutoken of Alice', status: 'issued',
  skzi_number: '', skzi_date: '', issued_at: '2026-11-01T00:00:00Z', revoked_at: null, has_admin_pin: true, version: 1, created_at: '2026-11-01T00:00:00Z',
};

const FRESH: PINState = { count_low: false, final_try: false, locked: false, to_be_changed: false };
type PINState = AgentToken['user_pin'];

function blankToken(): AgentToken {
  return { slot_id: 0, ref: 'slot-0', label: '', serial: '', manufacturer: 'SoftHSM project', model: 'SoftHSM v2', initialized: false,
    user_pin_initialized: false, min_pin_len: 4, max_pin_len: 255, user_pin: FRESH, admin_pin: FRESH };
}

/** FakeAgent plays custos-agent: pairing, one token, the device steps; `failWrite` refuses the first certificate write. */
class FakeAgent {
  running = true;
  secret: string | null = null;
  token = blankToken();
  keys: { id: string; algorithm: string; replace: boolean; user_pin: string }[] = [];
  written: { id: string; pem: string }[] = [];
  userPin = '';
  failWrite = 0;
  calls: string[] = [];

  handle(req: Req, headers: Headers): Response {
    if (!this.running) throw new TypeError('Failed to fetch');
    this.calls.push(`${req.method} ${req.path}`);
    const b = (req.body ?? {}) as Record<string, string>;
    if (req.path === '/status') return jsonResponse({ agent: 'custos-agent', version: 't', protocol: 1, module: 'SoftHSM', paired: !!this.secret && headers.get('Authorization') === `Bearer ${this.secret}` });
    if (req.path === '/pair/start') return jsonResponse({ expires_at: '2026-12-02T14:00:00Z', detail: 'new code' });
    if (req.path === '/pair') {
      if (b.code !== '12345678') return jsonResponse({ status: 401, code: 'pair.codeInvalid', detail: 'bad code' }, 401);
      this.secret = 'sekret';
      return jsonResponse({ secret: 'sekret', origin: b.origin });
    }
    if (headers.get('Authorization') !== `Bearer ${this.secret}`) return jsonResponse({ status: 401, code: 'agent.unpaired' }, 401);
    const ref = this.token.ref;
    if (req.method === 'GET' && req.path === '/tokens') return jsonResponse({ items: [this.token] });
    if (req.path === `/tokens/${ref}/init`) {
      // As SoftHSM2 does: the initialised token gets a serial and moves to another slot.
      this.token = { ...this.token, slot_id: 1791011329, ref: '7f00aa01', serial: '7f00aa01', label: b.label ?? '', initialized: true };
      return jsonResponse(this.token);
    }
    if (req.path === `/tokens/${ref}/user-pin`) {
      if (b.admin_pin !== '87654321') return jsonResponse({ status: 401, code: 'pin.incorrect', pin: 'admin', retries_left_hint: 'low' }, 401);
      this.userPin = b.new_pin ?? '';
      return jsonResponse(this.token);
    }
    if (req.path === `/tokens/${ref}/keys`) {
      if (b.user_pin !== this.userPin) return jsonResponse({ status: 401, code: 'pin.incorrect', pin: 'user', retries_left_hint: 'final' }, 401);
      this.keys.push({ id: b.id ?? '', algorithm: b.algorithm ?? '', replace: !!req.body && (req.body as { replace?: boolean }).replace === true, user_pin: b.user_pin ?? '' });
      return jsonResponse({ csr: `CSR-${b.id}` }, 201);
    }
    if (req.method === 'POST' && req.path === `/tokens/${ref}/certificates`) {
      if (this.failWrite > 0) {
        this.failWrite--;
        return jsonResponse({ status: 502, code: 'device.removed', detail: 'the token was removed' }, 502);
      }
      this.written.push({ id: b.id ?? '', pem: b.pem ?? '' });
      return jsonResponse({ id: b.id, fingerprint_sha256: `FP-${b.id}` }, 201);
    }
    if (req.method === 'GET' && req.path === `/tokens/${ref}/certificates`) {
      return jsonResponse({ items: this.written.map((w) => ({ id: w.id, label: 'x', subject: 'CN=x', fingerprint_sha256: `fp-${w.id}` })) });
    }
    throw new Error(`agent: unexpected ${req.method} ${req.path}`);
  }
}

interface World {
  agent: FakeAgent;
  questions: SecretQuestions;
  devices: MyDevice[];
  issuances: Issuance[];
  options: IssuanceOptions;
  created?: Issuance;
  api: Req[];
}

function world(over: Partial<World> = {}): World {
  return { agent: new FakeAgent(), questions: { questions: [], required: 0 }, devices: [], issuances: [], options: options(), api: [], ...over };
}

/** serve answers the API and the agent from one fetch stub. */
function serve(w: World, permissions = ['selfservice']) {
  document.cookie = 'custos_csrf=test';
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://localhost');
    const method = (init?.method ?? 'GET').toUpperCase();
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    const headers = new Headers(init?.headers);
    if (url.origin === AGENT) return w.agent.handle({ method, path: url.pathname, url, body }, headers);
    const req = { method, path: url.pathname.replace(/^\/api\/v1/, ''), url, body };
    w.api.push(req);
    const { path } = req;
    if (path === '/auth/me') return jsonResponse(makeMe(permissions));
    if (path === '/me/secret-questions' && method === 'GET') return jsonResponse(w.questions);
    if (path === '/me/secret-questions' && method === 'PUT') {
      const qs = (body as { questions: { question: string }[] }).questions;
      w.questions = { required: w.questions.required, questions: qs.map((q) => ({ question: q.question, has_answer: true })) };
      return jsonResponse(w.questions);
    }
    if (path === '/me/devices') return jsonResponse({ items: w.devices, total: w.devices.length, page: 1, page_size: 200, total_capped: false });
    if (path === '/me/issuances' && method === 'GET') return jsonResponse({ items: w.issuances, total: w.issuances.length, page: 1, page_size: 200, total_capped: false });
    if (path === '/me/device-options') return jsonResponse(w.options);
    if (/^\/me\/devices\/[^/]+\/admin-pin$/.test(path) && method === 'POST') return jsonResponse({ admin_pin: '87654321', source: 'device' });
    if (path === '/me/issuances' && method === 'POST') {
      w.created = { ...(w.created ?? issuance()), device_type_id: (body as { device_type_id: string }).device_type_id };
      w.issuances = [w.created];
      return jsonResponse(w.created, 201);
    }
    const m = /^\/me\/issuances\/([^/]+)\/(csr|confirm|fail|pin-mail|cancel)$/.exec(path);
    if (m && method === 'POST') {
      const cur = w.issuances.find((i) => i.id === m[1]) as Issuance;
      const b = body as Record<string, unknown>;
      if (m[2] === 'csr') {
        Object.assign(cur, { state: 'writing', serial: b.serial });
        return jsonResponse({ id: 'c1', template_id: b.template_id, serial: '01', fingerprint_sha256: 'x', subject: 'CN=x', not_after: '2027-01-01T00:00:00Z', pem: `PEM-for-${String(b.csr)}`, confirmed: false, revoked: false }, 201);
      }
      if (m[2] === 'fail') return jsonResponse(Object.assign(cur, { state: 'failed', error: b.reason }));
      if (m[2] === 'confirm') return jsonResponse(Object.assign(cur, { state: 'issued' }));
      if (m[2] === 'pin-mail') return jsonResponse({ sent_to: ['alice@example.com'] });
      return jsonResponse(Object.assign(cur, { state: 'cancelled' }));
    }
    throw new Error(`unexpected request ${method} ${url.pathname}`);
  });
}

async function pairAgent(user: ReturnType<typeof setupUser>, w: World) {
  const panel = await screen.findByTestId(TID.agentPanel);
  await waitFor(() => expect(within(panel).getByTestId(TID.agentState)).toHaveAttribute('data-state', 'notPaired'));
  await pasteInto(user, within(panel).getByTestId(TID.agentCode), '12345678');
  await user.click(within(panel).getByTestId(TID.agentPair));
  await waitFor(() => expect(within(panel).getByTestId(TID.agentState)).toHaveAttribute('data-state', 'paired'));
  expect(w.agent.secret).toBe('sekret');
}

describe('self-service', () => {
  it('asks for the secret questions on first entry when the policy requires them, answers never shown back', async () => {
    const w = world({ questions: { questions: [], required: 2 } });
    serve(w);
    const user = setupUser();
    renderApp('/self-service');
    const form = await screen.findByTestId(TID.selfServiceQuestions);
    expect(screen.getByTestId(TID.pageTitle)).toHaveTextContent('Self-service');
    expect(screen.getByText(/asks for 2 secret questions/)).toBeInTheDocument();
    expect(screen.queryByTestId(TID.agentPanel)).not.toBeInTheDocument();
    await pasteInto(user, within(form).getByLabelText('Question 1'), 'First pet?');
    await pasteInto(user, within(form).getByLabelText('Answer 1'), 'Rex');
    await pasteInto(user, within(form).getByLabelText('Question 2'), 'First school?');
    await pasteInto(user, within(form).getByLabelText('Answer 2'), 'No. 5');
    await user.click(within(form).getByTestId(TID.selfServiceQuestionsSave));
    await screen.findByTestId(TID.agentPanel);
    const put = w.api.find((r) => r.method === 'PUT');
    expect(put?.body).toEqual({ questions: [{ question: 'First pet?', answer: 'Rex' }, { question: 'First school?', answer: 'No. 5' }] });
    expect(screen.getByText('Questions set: 2 (required: 2).')).toBeInTheDocument();

    await user.click(screen.getByTestId(TID.selfServiceQuestionsChange));
    const again = await screen.findByTestId(TID.selfServiceQuestions);
    expect(within(again).getByLabelText('Question 1')).toHaveValue('First pet?');
    expect(within(again).getByLabelText('Answer 1')).toHaveValue('');
    expect(document.body.textContent).not.toContain('Rex');
  });

  it('shows the agent not running with how to start it, then not paired, then paired with the tokens and PIN hints', async () => {
    const w = world();
    w.agent.running = false;
    w.agent.token = { ...blankToken(), ref: 'AB12', serial: 'AB12', initialized: true, user_pin: { ...FRESH, final_try: true } };
    serve(w);
    const user = setupUser();
    renderApp('/self-service');
    const panel = await screen.findByTestId(TID.agentPanel);
    await within(panel).findByText('The device agent is not running');
    expect(within(panel).getByText(/README section «The device agent \(custos-agent\)»/)).toBeInTheDocument();
    expect(within(screen.getByTestId(TID.sideNav)).getByRole('link', { name: 'Self-service' })).toHaveAttribute('href', '/self-service');

    w.agent.running = true;
    await user.click(within(panel).getByTestId(TID.agentRecheck));
    await within(panel).findByText('The device agent is not paired with this console');
    await pasteInto(user, within(panel).getByTestId(TID.agentCode), '00000000');
    await user.click(within(panel).getByTestId(TID.agentPair));
    await within(panel).findByText('The pairing code is wrong or was used already.');
    await user.click(within(panel).getByTestId(TID.agentNewCode));
    await within(panel).findByText('The agent shows a new code in its window.');
    expect(w.agent.calls).toContain('POST /pair/start');
    await user.clear(within(panel).getByTestId(TID.agentCode));
    await pairAgent(user, w);
    expect(within(panel).getByText('The device agent is paired')).toBeInTheDocument();
    const tokens = within(panel).getByTestId(TID.agentTokens);
    expect(tokens).toHaveTextContent('AB12');
    expect(tokens).toHaveTextContent('User PIN: last PIN attempt');
    expect(window.localStorage.getItem(`custos.agent.secret:${AGENT}`)).toBe('sekret');
  });

  it('lists the devices and the issuances in flight: pending, rejected with the comment, stopped with Continue', async () => {
    const w = world({
      devices: [DEVICE],
      issuances: [
        issuance({ id: 'i-pending', state: 'pending_approval' }),
        issuance({ id: 'i-rejected', state: 'rejected', decision_comment: 'Not your department' }),
        issuance({ id: 'i-failed', state: 'failed', serial: '7f00aa01', error: 'cert:t1: device.removed' }),
      ],
    });
    serve(w);
    await i18n.changeLanguage('ru');
    renderApp('/self-service');
    const table = await screen.findByTestId(TID.myDevices);
    await within(table).findByText('0A1B2C3D');
    expect(screen.getByTestId(TID.pageTitle)).toHaveTextContent('Сервис самообслуживания');
    expect(screen.getByText('Ваши устройства')).toBeInTheDocument();
    const row = (status: string) => table.querySelector(`tr[data-status="${status}"]`) as HTMLElement;
    expect(within(row('issued')).getByText('Rutoken ECP 3.0')).toBeInTheDocument();
    expect(within(row('issued')).getByText('Rutoken of Alice')).toBeInTheDocument();
    expect(within(row('issued')).getByText('Выпущено')).toBeInTheDocument();
    expect(within(row('pending_approval')).getByText('В ожидании')).toBeInTheDocument();
    expect(within(row('pending_approval')).getByText('Выпуск устройства ожидает решения')).toBeInTheDocument();
    expect(within(row('pending_approval')).queryByRole('button', { name: 'Продолжить выпуск устройства' })).not.toBeInTheDocument();
    expect(within(row('rejected')).getByText('Отклонено: Not your department')).toBeInTheDocument();
    expect(within(row('rejected')).queryByRole('button', { name: 'Продолжить выпуск устройства' })).not.toBeInTheDocument();
    expect(within(row('failed')).getByRole('button', { name: 'Продолжить выпуск устройства' })).toBeInTheDocument();
    expect(within(row('issued')).getByRole('button', { name: 'Разблокировать PIN-код' })).toBeInTheDocument();
    // Seed 001: «Выпустить устройство» only while no device is issued.
    expect(screen.getByRole('button', { name: 'Выпустить устройство' })).toBeDisabled();
  });

  it('sends the request and, when an operator must approve, says it awaits a decision and closes', async () => {
    const w = world({ options: options(policy({ approval_required: true, skzi_accounting: true, user_may_choose_templates: true })) });
    w.created = issuance({ state: 'pending_approval' });
    serve(w);
    const user = setupUser();
    await i18n.changeLanguage('ru');
    renderApp('/self-service');
    await user.click(await screen.findByRole('button', { name: 'Выпустить устройство' }));
    const dialog = await screen.findByTestId(TID.issueDialog);
    expect(within(dialog).getByTestId(TID.issueWipeWarning)).toHaveTextContent('все данные, хранящиеся на нём, будут удалены');
    expect(within(dialog).queryByTestId(TID.issueAdvanced)).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole('checkbox', { name: 'Qualified signature' }));
    await pasteInto(user, within(dialog).getByTestId(TID.issueSkziNumber), 'СКЗИ-42');
    await pasteInto(user, within(dialog).getByTestId(TID.issueSkziDate), '2026-11-30');
    await user.click(within(dialog).getByTestId(TID.issueSubmit));
    const pending = await screen.findByTestId(TID.issuePending);
    expect(pending).toHaveTextContent('Выпуск устройства ожидает решения');
    expect(w.api.find((r) => r.method === 'POST' && r.path === '/me/issuances')?.body).toEqual({
      device_type_id: 'dt1', template_ids: ['t1'], skzi_number: 'СКЗИ-42', skzi_date: '2026-11-30',
    });
    expect(w.agent.calls.filter((c) => c.startsWith('POST /tokens'))).toEqual([]);
    await user.click(within(pending).getByRole('button', { name: 'Закрыть' }));
    await waitFor(() => expect(screen.queryByTestId(TID.issuePending)).not.toBeInTheDocument());
  });

  it('issues a device step by step through the agent: wipe, random PIN, key, CA, write, read back, confirm; the PIN shown once and mailed', async () => {
    const w = world();
    serve(w);
    const user = setupUser();
    renderApp('/self-service');
    await pairAgent(user, w);
    await user.click(screen.getByRole('button', { name: 'Issue device' }));
    const dialog = await screen.findByTestId(TID.issueDialog);
    expect(within(dialog).getByTestId(TID.issueWipeWarning)).toBeInTheDocument();
    expect(within(dialog).getByTestId(TID.issueTemplates)).toHaveTextContent('Sign-in');
    await user.click(within(dialog).getByText('Advanced'));
    expect(within(dialog).getByText(/A random user PIN of 8 digits/)).toBeInTheDocument();
    expect(within(dialog).queryByLabelText('User PIN (PKI)')).not.toBeInTheDocument();
    await pasteInto(user, within(dialog).getByTestId(issueAdminPinTestId('pki')), '87654321');
    await user.click(within(dialog).getByTestId(TID.issueSubmit));

    const done = await screen.findByTestId(TID.issueDone, {}, { timeout: 15000 });
    expect(within(done).getByText('The device is issued')).toBeInTheDocument();
    const pin = within(done).getByTestId(TID.issuePin).textContent ?? '';
    expect(pin).toMatch(/^\d{8}$/);
    expect(w.agent.userPin).toBe(pin);
    expect(within(done).getByText('The PIN was also sent to: alice@example.com')).toBeInTheDocument();
    const steps = [...within(done).getByTestId(TID.issueProgress).querySelectorAll('[data-step]')].map((e) => `${e.getAttribute('data-step')}=${e.getAttribute('data-status')}`);
    expect(steps).toEqual(['init=finish', 'userPin=finish', 'cert:t1=finish', 'readBack=finish', 'confirm=finish', 'pinMail=finish']);
    expect(w.agent.calls.filter((c) => c.startsWith('POST'))).toEqual([
      'POST /pair', 'POST /tokens/slot-0/init', 'POST /tokens/7f00aa01/user-pin', 'POST /tokens/7f00aa01/keys', 'POST /tokens/7f00aa01/certificates',
    ]);
    expect(w.agent.keys).toEqual([{ id: 'aaaabbbb01', algorithm: 'ecdsa-p256', replace: false, user_pin: pin }]);
    expect(w.agent.written).toEqual([{ id: 'aaaabbbb01', pem: 'PEM-for-CSR-aaaabbbb01' }]);
    const posts = w.api.filter((r) => r.method === 'POST').map((r) => [r.path, r.body]);
    expect(posts).toEqual([
      ['/me/issuances', { device_type_id: 'dt1' }],
      [`/me/issuances/${issuance().id}/csr`, { serial: '7f00aa01', template_id: 't1', csr: 'CSR-aaaabbbb01' }],
      [`/me/issuances/${issuance().id}/confirm`, { serial: '7f00aa01', label: 'Rutoken ECP 3.0', fingerprints: ['fp-aaaabbbb01'], admin_pin: '87654321' }],
      [`/me/issuances/${issuance().id}/pin-mail`, { pin }],
    ]);
    // The PIN is nowhere but on the screen: not in storage, gone with the dialog.
    expect(JSON.stringify({ ...window.localStorage })).not.toContain(pin);
    await user.click(within(done).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByTestId(TID.issuePin)).not.toBeInTheDocument());
    expect(document.body.textContent).not.toContain(pin);
  });

  it('reports a failed device step, keeps the issuance resumable, and Continue writes again from the key pair', async () => {
    const w = world();
    w.agent.failWrite = 1;
    serve(w);
    const user = setupUser();
    renderApp('/self-service');
    await pairAgent(user, w);
    await user.click(screen.getByRole('button', { name: 'Issue device' }));
    const dialog = await screen.findByTestId(TID.issueDialog);
    await user.click(within(dialog).getByText('Advanced'));
    await pasteInto(user, within(dialog).getByTestId(issueAdminPinTestId('pki')), '87654321');
    await user.click(within(dialog).getByTestId(TID.issueSubmit));

    const error = await screen.findByTestId(TID.issueError, {}, { timeout: 15000 });
    expect(error).toHaveTextContent('Device issuance stopped');
    expect(error).toHaveTextContent('the token was removed');
    const fail = w.api.find((r) => r.path.endsWith('/fail'));
    expect(fail?.body).toEqual({ reason: 'cert:t1: device.removed (the token was removed)' });
    expect(JSON.stringify(fail?.body)).not.toContain(w.agent.userPin);
    expect(w.api.some((r) => r.path.endsWith('/confirm'))).toBe(false);

    await user.click(within(dialog).getByTestId(TID.issueContinue));
    const done = await screen.findByTestId(TID.issueDone, {}, { timeout: 15000 });
    expect(w.agent.keys.map((k) => k.replace)).toEqual([false, true]);
    expect(w.agent.calls.filter((c) => c.endsWith('/init') || c.endsWith('/user-pin'))).toHaveLength(2);
    expect(within(done).getByTestId(TID.issuePin).textContent).toBe(w.agent.userPin);
    expect(w.api.filter((r) => r.path.endsWith('/confirm'))).toHaveLength(1);
  });

  it('continues an approved request from a fresh page: «Продолжить выпуск устройства» runs every device step', async () => {
    const approved = issuance({ state: 'approved', decided_by_login: 'operator', policy: { ...issuance().policy, approval_required: true } });
    const w = world({ issuances: [approved], options: options(policy({ approval_required: true }), ['t1']) });
    serve(w);
    const user = setupUser();
    await i18n.changeLanguage('ru');
    renderApp('/self-service');
    await pairAgent(user, w);
    await user.click(await screen.findByRole('button', { name: 'Продолжить выпуск устройства' }));
    const dialog = await screen.findByTestId(TID.issueDialog);
    expect(screen.getByRole('dialog', { name: 'Продолжить выпуск устройства' })).toContainElement(dialog);
    expect(within(dialog).getByTestId(TID.issueWipeWarning)).toBeInTheDocument();
    await user.click(within(dialog).getByText('Дополнительно'));
    await pasteInto(user, within(dialog).getByTestId(issueAdminPinTestId('pki')), '87654321');
    await user.click(within(dialog).getByTestId(TID.issueSubmit));
    const done = await screen.findByTestId(TID.issueDone, {}, { timeout: 15000 });
    expect(within(done).getByText('Устройство выпущено')).toBeInTheDocument();
    expect(within(done).getByTestId(TID.issuePin)).toHaveTextContent(w.agent.userPin);
    expect(w.api.some((r) => r.method === 'POST' && r.path === '/me/issuances')).toBe(false);
    expect(w.agent.calls.filter((c) => c.startsWith('POST /tokens')).map((c) => c.split('/').pop())).toEqual(['init', 'user-pin', 'keys', 'certificates']);
    expect(w.api.filter((r) => r.path.endsWith('/confirm'))).toHaveLength(1);
  });

  it('prefills the SMEV form for a qualified template: prefilled fields read-only, missing ones fillable; a revoked device\'s token asks its admin PIN again', async () => {
    const w = world({
      devices: [{ ...DEVICE, serial: 'AB12', status: 'revoked', revoked_at: '2026-11-20T00:00:00Z' }],
      options: options(policy({ smev_check: true, initialise_before_issuance: false, random_user_pin: { enabled: false, length: 0, show_once: false, email_user: false, email_manager: false } }), ['t2']),
    });
    w.agent.token = { ...blankToken(), ref: 'AB12', serial: 'AB12', initialized: true };
    const smev = { required: true, configured: true, editable: false, editable_fields: ['snils'], required_fields: ['last_name', 'snils'], form: { last_name: 'Petrova', first_name: 'Alice', snils: '' } };
    serve(w);
    const base = globalThis.fetch;
    vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) =>
      String(input).endsWith('/me/smev-form') ? Promise.resolve(jsonResponse(smev)) : base(input, init));
    const user = setupUser();
    await i18n.changeLanguage('ru');
    renderApp('/self-service');
    await pairAgent(user, w);
    await user.click(await screen.findByRole('button', { name: 'Выпустить устройство' }));
    const dialog = await screen.findByTestId(TID.issueDialog);
    const form = await within(dialog).findByTestId(TID.issueSmev);
    expect(within(form).getByLabelText('Фамилия')).toHaveValue('Petrova');
    expect(within(form).getByLabelText('Фамилия')).toBeDisabled();
    expect(within(form).getByLabelText('СНИЛС')).toBeEnabled();
    expect(within(dialog).queryByTestId(TID.issueWipeWarning)).not.toBeInTheDocument();
    await user.click(within(dialog).getByText('Дополнительно'));
    expect(within(dialog).getByTestId(issueAdminPinTestId('pki'))).toBeInTheDocument();
    expect(within(dialog).queryByTestId(TID.issueTokenIssued)).not.toBeInTheDocument();
    expect(within(dialog).getByLabelText('PIN-код пользователя (PKI)')).toBeInTheDocument();
    await pasteInto(user, within(form).getByLabelText('СНИЛС'), '112-233-445 95');
    w.created = issuance({ state: 'pending_approval' });
    await user.click(within(dialog).getByTestId(TID.issueSubmit));
    await screen.findByTestId(TID.issuePending);
    const sent = w.api.find((r) => r.method === 'POST' && r.path === '/me/issuances')?.body as { smev: Record<string, string> };
    expect(sent.smev).toMatchObject({ last_name: 'Petrova', first_name: 'Alice', snils: '112-233-445 95' });
  });

  it('says so when no usage policy applies, or when it does not allow issuing oneself', async () => {
    serve(world({ options: options(null) }));
    const first = renderApp('/self-service');
    await screen.findByText('No device usage policy applies to you: ask an administrator.');
    expect(screen.getByRole('button', { name: 'Issue device' })).toBeDisabled();
    first.unmount();
    serve(world({ options: options(policy({ self_issuance_allowed: false })) }));
    renderApp('/self-service');
    await screen.findByText('Your usage policy does not allow issuing a device yourself: ask an operator.');
    expect(screen.getByRole('button', { name: 'Issue device' })).toBeDisabled();
  });

  it('offers «Выпустить устройство» only while no device is issued, and unblocks the user PIN of an issued one through the agent', async () => {
    const w = world({ devices: [{ ...DEVICE, serial: 'AB12' }] });
    w.agent.token = { ...blankToken(), ref: 'AB12', serial: 'AB12', initialized: true, user_pin_initialized: true, user_pin: { ...FRESH, locked: true } };
    serve(w);
    const user = setupUser();
    await i18n.changeLanguage('ru');
    renderApp('/self-service');
    await screen.findByText('У вас есть выпущенное устройство: самостоятельный выпуск возможен, только если выпущенных устройств нет. Обратитесь к оператору.');
    expect(screen.getByTestId(TID.issueDevice)).toBeDisabled();

    await user.click(await screen.findByTestId(TID.unblockPinButton));
    let dialog = await screen.findByTestId(TID.unblockDialog);
    expect(within(dialog).getByTestId(TID.unblockNoToken)).toHaveTextContent('Сначала подключите агент устройств');
    expect(within(dialog).getByTestId(TID.unblockSubmit)).toBeDisabled();
    await user.click(within(dialog).getByRole('button', { name: 'Закрыть' }));

    await pairAgent(user, w);
    await user.click(screen.getByTestId(TID.unblockPinButton));
    dialog = await screen.findByTestId(TID.unblockDialog);
    await pasteInto(user, within(dialog).getByTestId(TID.unblockPin), '12ab');
    await pasteInto(user, within(dialog).getByTestId(TID.unblockRepeat), '12ab');
    await user.click(within(dialog).getByTestId(TID.unblockSubmit));
    expect(await within(dialog).findAllByText('От 6 до 32 символов')).toHaveLength(2);
    await within(dialog).findByText('Только цифры');
    expect(w.api.some((r) => r.path.endsWith('/admin-pin'))).toBe(false);

    await user.clear(within(dialog).getByTestId(TID.unblockPin));
    await user.clear(within(dialog).getByTestId(TID.unblockRepeat));
    await pasteInto(user, within(dialog).getByTestId(TID.unblockPin), '246813');
    await pasteInto(user, within(dialog).getByTestId(TID.unblockRepeat), '246813');
    await user.click(within(dialog).getByTestId(TID.unblockSubmit));
    await within(dialog).findByText('PIN-код пользователя задан');
    expect(w.api.filter((r) => r.path === '/me/devices/d1/admin-pin')).toHaveLength(1);
    expect(w.agent.calls).toContain('POST /tokens/AB12/user-pin');
    expect(w.agent.userPin).toBe('246813');
    expect(document.body.textContent).not.toContain('87654321');
  });

  it('says an open request comes first; Continue refuses a token that is one of one\'s issued devices', async () => {
    const w = world({ devices: [{ ...DEVICE, serial: 'AB12' }], issuances: [issuance({ state: 'approved' })] });
    w.agent.token = { ...blankToken(), ref: 'AB12', serial: 'AB12', initialized: true };
    serve(w);
    const user = setupUser();
    renderApp('/self-service');
    await screen.findByText('You have an issued device: self-service issues one only while you have none. Ask an operator for another one.');
    expect(screen.getByRole('button', { name: 'Issue device' })).toBeDisabled();
    await pairAgent(user, w);
    await user.click(screen.getByRole('button', { name: 'Continue device issuance' }));
    const dialog = await screen.findByTestId(TID.issueDialog);
    expect(await within(dialog).findByTestId(TID.issueTokenIssued)).toHaveTextContent('This device is issued already as «Rutoken of Alice» (serial AB12)');
    expect(within(dialog).getByTestId(TID.issueSubmit)).toBeDisabled();
    expect(w.agent.calls.some((c) => c.startsWith('POST /tokens'))).toBe(false);
  });

  it('says an open request is continued or cancelled before another', async () => {
    serve(world({ issuances: [issuance({ state: 'pending_approval' })] }));
    renderApp('/self-service');
    await screen.findByText('Your device request is still open: continue or cancel it first.');
    expect(screen.getByRole('button', { name: 'Issue device' })).toBeDisabled();
  });
});
