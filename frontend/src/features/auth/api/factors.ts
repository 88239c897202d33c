// The signed-in person's second factors: the authenticator app (TOTP) and recovery codes.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { definitions } from '../../../api/schema';
import { http } from '../../../api/http';

export type FactorStatus = definitions['FactorStatus'];
export type TOTPEnrolment = definitions['TOTPEnrolment'];
export type RecoveryCodes = definitions['RecoveryCodes'];
export type RemoveFactorInput = definitions['RemoveFactorInput'];

const factorsKey = ['me', 'factors'] as const;

/** useFactors reads GET /me/factors. */
export function useFactors() {
  return useQuery({ queryKey: factorsKey, queryFn: () => http.get<FactorStatus>('/me/factors') });
}

function useFactorMutation<I, O>(fn: (input: I) => Promise<O>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: factorsKey }), qc.invalidateQueries({ queryKey: ['audit'] })]),
  });
}

/** useStartTotp makes a new key (POST /me/factors/totp). */
export function useStartTotp() {
  return useFactorMutation(() => http.post<TOTPEnrolment>('/me/factors/totp'));
}

/** useConfirmTotp activates the key with a first code and answers the recovery codes once. */
export function useConfirmTotp() {
  return useFactorMutation((code: string) => http.post<RecoveryCodes>('/me/factors/totp/confirm', { code }));
}

/** useRemoveTotp removes the app after a current code or the password. */
export function useRemoveTotp() {
  return useFactorMutation((input: RemoveFactorInput) => http.delete<void>('/me/factors/totp', { body: input }));
}

/** useRegenerateCodes replaces the recovery codes after a current code. */
export function useRegenerateCodes() {
  return useFactorMutation((code: string) => http.post<RecoveryCodes>('/me/factors/recovery-codes', { code }));
}
