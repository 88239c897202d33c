// The device steps of an issuance, run in the browser through the device agent:
// initialise (when the policy says) → set the user PIN → for each template: key pair on the
// device, the request signed by the CA, the certificate written next to its key → read the
// certificates back → confirm. A failure once the server is writing reports it (POST /fail)
// and leaves the issuance resumable; a resumed run starts again from the key pairs
// (replace: true). PINs live only in this run's arguments and result: never stored or logged.
import { AgentError, randomPIN, type AgentClient, type AgentToken } from '../../../lib/agent';
import { defaultPINs, issuanceApi } from '../api/selfservice';
import type { Issuance, OptionTemplate } from '../api/types';

export type StepStatus = 'wait' | 'process' | 'finish' | 'error';

/** Step is one line of the progress: `key` is init, userPin, area:<code>, cert:<template id>, readBack, confirm or pinMail. */
export interface Step {
  key: string;
  templateName?: string;
  status: StepStatus;
}

/** FlowError is a stop of the flow that the page explains (its `code` is a selfService.steps key). */
export class FlowError extends Error {
  constructor(readonly code: 'noToken' | 'needAdminPin' | 'needUserPin' | 'unknownTemplate' | 'tokenGone' | 'notAllWritten') {
    super(code);
    this.name = 'FlowError';
  }
}

export interface FlowInput {
  agent: AgentClient;
  issuance: Issuance;
  token: AgentToken;
  templates: OptionTemplate[];
  /** The admin PIN typed under Advanced ('' when left empty). */
  adminPin: string;
  /** The user PIN typed under Advanced ('' when left empty); ignored with a random PIN. */
  userPin: string;
  /**
   * extraAreas: the device type's PIN areas after the first (JaCarta's ГОСТ beside its PKI),
   * each its own slot of the device, with the PINs typed for it ('' = the type's defaults).
   * Each is initialised (when the policy says) and gets its user PIN — a random PIN is one
   * for the whole device — before the key pairs, which go to the first area.
   */
  extraAreas?: ExtraArea[];
  /** resume: the user PIN is on the device already (set by this page earlier): start from the key pairs. */
  resume?: { userPin: string; random: boolean };
  /** skipInit: a continued issuance whose device steps began already is not wiped again. */
  skipInit?: boolean;
  label: string;
  /** onToken: the token as the agent last answered it (a wipe gives it a serial, maybe a slot), for Continue. */
  onToken?: (token: AgentToken) => void;
  /** onUserPin keeps the PIN set on the device in the page's memory, for Continue. */
  onUserPin?: (pin: string, random: boolean) => void;
}

export interface ExtraArea {
  code: string;
  name: string;
  token: AgentToken;
  adminPin: string;
  userPin: string;
}

export interface FlowResult {
  issuance: Issuance;
  /** The random PIN set on the device, to show once. */
  randomPin?: string;
  mailedTo?: string[];
  mailError?: unknown;
}

/** planSteps lists the steps a run will make, in order. */
export function planSteps(input: Pick<FlowInput, 'issuance' | 'templates' | 'resume' | 'skipInit' | 'extraAreas'>): Step[] {
  const p = input.issuance.policy;
  const steps: Step[] = [];
  if (!input.resume && !input.skipInit && p.initialise_before_issuance) steps.push({ key: 'init', status: 'wait' });
  if (!input.resume) steps.push({ key: 'userPin', status: 'wait' });
  if (!input.resume) for (const a of input.extraAreas ?? []) steps.push({ key: `area:${a.code}`, templateName: a.name, status: 'wait' });
  for (const id of input.issuance.template_ids) {
    steps.push({ key: `cert:${id}`, templateName: input.templates.find((t) => t.id === id)?.name ?? id, status: 'wait' });
  }
  steps.push({ key: 'readBack', status: 'wait' }, { key: 'confirm', status: 'wait' });
  const random = input.resume ? input.resume.random : p.random_user_pin;
  if (random && (p.random_user_pin_email_user || p.random_user_pin_email_manager)) {
    steps.push({ key: 'pinMail', status: 'wait' });
  }
  return steps;
}

/** keyId is the CKA_ID (hex) of the n-th certificate of an issuance: stable across attempts. */
export function keyId(issuanceId: string, n: number): string {
  return issuanceId.replace(/[^0-9a-f]/gi, '').slice(0, 8).toLowerCase() + (n + 1).toString(16).padStart(2, '0');
}

/** reasonOf describes an error for POST /fail: codes and the agent's detail, never a PIN. */
export function reasonOf(step: string, e: unknown): string {
  if (e instanceof AgentError) return `${step}: ${e.code}${e.detail ? ` (${e.detail})` : ''}`.slice(0, 500);
  if (e instanceof FlowError) return `${step}: ${e.code}`;
  if (e instanceof Error) return `${step}: ${e.message}`.slice(0, 500);
  return step;
}

/** runIssuance makes the steps, reporting each through onStep; it throws the first failure. */
export async function runIssuance(input: FlowInput, onStep: (key: string, status: StepStatus) => void): Promise<FlowResult> {
  const { agent, issuance: iss } = input;
  const p = iss.policy;
  let token = input.token;
  let writing = iss.state === 'writing';
  let current = '';
  const step = async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    current = key;
    onStep(key, 'process');
    const v = await fn();
    onStep(key, 'finish');
    return v;
  };

  try {
    // The token as the agent sees it now: initialising gives a blank token its serial, and a
    // token plugged in again may sit in another slot.
    current = planSteps(input)[0]?.key ?? '';
    const seen = await agent.tokens();
    const now = seen.find((t) => (token.serial ? t.serial === token.serial : t.slot_id === token.slot_id));
    if (!now) throw new FlowError('tokenGone');
    token = now;
    input.onToken?.(token);
    let userPin = input.resume?.userPin ?? '';
    let randomPin = input.resume?.random ? input.resume.userPin : undefined;
    if (!input.resume) {
      // Without initialisation, a random PIN or an admin PIN, the user PIN typed is the one the
      // device already has: it is checked, not set.
      const keepPin = !p.initialise_before_issuance && !p.random_user_pin && !input.adminPin && !!input.userPin;
      let adminPin = input.adminPin;
      // PINs left empty under Advanced are the device type's defaults (seed 001), released by
      // the server for this issuance only; the first PIN area's (the agent sets one user PIN).
      const extra = input.extraAreas ?? [];
      let areaDefaults: { code: string; admin_pin: string; user_pin: string }[] | undefined;
      const needDefaults = (!adminPin && !keepPin) || (!p.random_user_pin && !input.userPin) ||
        extra.some((a) => !a.adminPin || (!p.random_user_pin && !a.userPin));
      if (needDefaults) areaDefaults = (await defaultPINs(iss.id)).areas;
      const defaults = areaDefaults?.[0];
      if (!adminPin && !keepPin) adminPin = defaults?.admin_pin ?? '';
      if (!adminPin && !keepPin) throw new FlowError('needAdminPin');
      if (p.random_user_pin) userPin = randomPIN(p.random_user_pin_length || 8);
      else if (input.userPin) userPin = input.userPin;
      else if (defaults?.user_pin) userPin = defaults.user_pin;
      else throw new FlowError('needUserPin');
      if (p.random_user_pin) randomPin = userPin;
      if (p.initialise_before_issuance && !input.skipInit) {
        await step('init', async () => {
          // The agent answers the token as it is after the wipe: a blank token gets its serial
          // (and so its reference) now, and some modules (SoftHSM2) move it to another slot.
          const after = await agent.init(token.ref, { admin_pin: adminPin, label: input.label.slice(0, 32) });
          if (!after?.ref) throw new FlowError('tokenGone');
          token = after;
          input.onToken?.(token);
        });
      }
      await step('userPin', () =>
        keepPin ? agent.login(token.ref, userPin) : agent.setUserPIN(token.ref, { admin_pin: adminPin, new_pin: userPin }),
      );
      // The other PIN areas, each its own slot: a failure here leaves no PIN remembered, so
      // Continue starts again from the first area.
      for (const a of extra) {
        await step(`area:${a.code}`, async () => {
          const d = areaDefaults?.find((x) => x.code === a.code);
          const keep = !p.initialise_before_issuance && !p.random_user_pin && !a.adminPin && !!a.userPin;
          const admin = a.adminPin || d?.admin_pin || '';
          if (!admin && !keep) throw new FlowError('needAdminPin');
          const user = p.random_user_pin ? userPin : a.userPin || d?.user_pin || '';
          if (!user) throw new FlowError('needUserPin');
          const seen = await agent.tokens();
          let tk = seen.find((t) => (a.token.serial ? t.serial === a.token.serial : t.slot_id === a.token.slot_id));
          if (!tk) throw new FlowError('tokenGone');
          if (p.initialise_before_issuance && !input.skipInit) {
            // The area's code first: a label that begins like the first area's would be taken
            // for it by tools that match labels by prefix (pkcs11-tool --token-label).
            const after = await agent.init(tk.ref, { admin_pin: admin, label: `${a.code.toUpperCase()} ${input.label}`.slice(0, 32) });
            if (!after?.ref) throw new FlowError('tokenGone');
            tk = after;
          }
          await (keep ? agent.login(tk.ref, user) : agent.setUserPIN(tk.ref, { admin_pin: admin, new_pin: user }));
        });
      }
      input.onUserPin?.(userPin, !!randomPin);
    }

    const written: string[] = [];
    for (const [n, templateId] of iss.template_ids.entries()) {
      await step(`cert:${templateId}`, async () => {
        const tpl = input.templates.find((t) => t.id === templateId);
        if (!tpl) throw new FlowError('unknownTemplate');
        const id = keyId(iss.id, n);
        const { csr } = await agent.keys(token.ref, { user_pin: userPin, algorithm: tpl.key_algorithm, id, label: tpl.name, replace: !!input.resume || !!input.skipInit || writing });
        const cert = await issuanceApi.csr(iss.id, { serial: token.serial, template_id: templateId, csr });
        writing = true;
        const out = await agent.writeCertificate(token.ref, { user_pin: userPin, id, label: tpl.name, pem: cert.pem });
        written.push(out.fingerprint_sha256.toLowerCase());
      });
    }

    const fingerprints = await step('readBack', async () => {
      const onToken = new Set((await agent.certificates(token.ref)).map((c) => c.fingerprint_sha256.toLowerCase()));
      if (!written.every((f) => onToken.has(f))) throw new FlowError('notAllWritten');
      return written;
    });

    const done = await step('confirm', () =>
      issuanceApi.confirm(iss.id, { serial: token.serial, label: token.label || input.label, fingerprints, admin_pin: input.adminPin || undefined }),
    );

    const result: FlowResult = { issuance: done, randomPin };
    if (randomPin && (p.random_user_pin_email_user || p.random_user_pin_email_manager)) {
      current = 'pinMail';
      onStep('pinMail', 'process');
      try {
        result.mailedTo = (await issuanceApi.pinMail(iss.id, randomPin)).sent_to;
        onStep('pinMail', 'finish');
      } catch (e) {
        // The device is issued; only the mail failed, and the PIN is still shown.
        result.mailError = e;
        onStep('pinMail', 'error');
      }
    }
    return result;
  } catch (e) {
    onStep(current || 'userPin', 'error');
    if (writing) {
      try {
        await issuanceApi.fail(iss.id, reasonOf(current, e));
      } catch {
        // The issuance stays writing: Continue works from there too.
      }
    }
    throw e;
  }
}
