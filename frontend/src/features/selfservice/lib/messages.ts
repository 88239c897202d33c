// Translating the device agent's and the issuance flow's errors for the page.
import type { TFunction } from 'i18next';
import { isAgentError } from '../../../lib/agent';
import { errorMessage } from '../../../lib/errors';
import { FlowError } from './flow';

/** agentMessage: the agent's refusal by its code, with the PIN retry hint when it sent one. */
export function agentMessage(t: TFunction, e: unknown): string {
  if (e instanceof FlowError) return t(`selfService.steps.${e.code}`);
  if (!isAgentError(e)) return errorMessage(t, e);
  const who = e.pin ? t(`selfService.agentErrors.who.${e.pin}`) : '';
  const text = t(`selfService.agentErrors.${e.code}`, { defaultValue: e.detail || e.code, who });
  const hint = e.retriesLeftHint ? t(`selfService.agentErrors.hint.${e.retriesLeftHint}`) : '';
  return hint ? `${text} ${hint}` : text;
}
