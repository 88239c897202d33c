// The self-service API: the caller's devices and issuances (/me/devices, /me/issuances…),
// secret questions, the SMEV form, what the caller may ask for, and a device's admin PIN.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { http } from '../../../api/http';
import type { ListResponse } from '../../../api/types';
import type { Issuance, IssuanceCertificate, IssuanceInput, IssuanceOptions, MyDevice, SecretQuestions, SecretQuestionsInput, SMEVForm } from './types';

export const selfServiceKeys = {
  all: ['selfservice'] as const,
  devices: () => ['selfservice', 'devices'] as const,
  issuances: () => ['selfservice', 'issuances'] as const,
  questions: () => ['selfservice', 'secret-questions'] as const,
  smev: () => ['selfservice', 'smev-form'] as const,
  options: () => ['selfservice', 'options'] as const,
};

const issuance = (id: string) => `/me/issuances/${encodeURIComponent(id)}`;

/** OPEN_STATES: issuances still in flight, listed beside the devices. */
export const OPEN_STATES: readonly Issuance['state'][] = ['draft', 'smev_check', 'pending_approval', 'approved', 'writing', 'failed', 'rejected'];

export function useMyDevices() {
  return useQuery({
    queryKey: selfServiceKeys.devices(),
    queryFn: ({ signal }) => http.get<ListResponse<MyDevice>>('/me/devices', { query: { page_size: 200 }, signal }),
  });
}

export function useMyIssuances() {
  return useQuery({
    queryKey: selfServiceKeys.issuances(),
    queryFn: ({ signal }) => http.get<ListResponse<Issuance>>('/me/issuances', { query: { page_size: 200 }, signal }),
  });
}

export function useSecretQuestions() {
  return useQuery({ queryKey: selfServiceKeys.questions(), queryFn: ({ signal }) => http.get<SecretQuestions>('/me/secret-questions', { signal }) });
}

export function useSetSecretQuestions() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SecretQuestionsInput) => http.put<SecretQuestions>('/me/secret-questions', body),
    onSuccess: (v) => qc.setQueryData(selfServiceKeys.questions(), v),
  });
}

export function useSMEVForm(enabled: boolean) {
  return useQuery({ queryKey: selfServiceKeys.smev(), queryFn: ({ signal }) => http.get<SMEVForm>('/me/smev-form', { signal }), enabled });
}

/** useIssuanceOptions reads what the caller may ask for: their policy, the device types, the policy's templates. */
export function useIssuanceOptions() {
  return useQuery({ queryKey: selfServiceKeys.options(), queryFn: ({ signal }) => http.get<IssuanceOptions>('/me/device-options', { signal }) });
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: selfServiceKeys.all });
}

export function useCreateIssuance() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: IssuanceInput) => http.post<Issuance>('/me/issuances', body), onSuccess: invalidate });
}

export function useCancelIssuance() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (id: string) => http.post<Issuance>(`${issuance(id)}/cancel`), onSuccess: invalidate });
}

/** The device steps' server calls, used by the issuance flow. */
export const issuanceApi = {
  get: (id: string) => http.get<Issuance>(issuance(id)),
  csr: (id: string, body: { serial: string; template_id: string; csr: string }) => http.post<IssuanceCertificate>(`${issuance(id)}/csr`, body),
  confirm: (id: string, body: { serial: string; label?: string; fingerprints: string[]; admin_pin?: string }) =>
    http.post<Issuance>(`${issuance(id)}/confirm`, body),
  fail: (id: string, reason: string) => http.post<Issuance>(`${issuance(id)}/fail`, { reason }),
  pinMail: (id: string, pin: string) => http.post<{ sent_to: string[] }>(`${issuance(id)}/pin-mail`, { pin }),
};

/** defaultPINs asks for the default PINs of one's own issuance's device type: «empty = the type's defaults». */
export function defaultPINs(issuanceId: string) {
  return http.post<{ areas: { code: string; admin_pin: string; user_pin: string }[] }>(
    `/me/issuances/${encodeURIComponent(issuanceId)}/default-pins`,
  );
}

/** releaseAdminPIN asks for the admin PIN of one's own registered device (sealed by the server), for the agent. */
export function releaseAdminPIN(deviceId: string) {
  return http.post<{ admin_pin: string; source: string }>(`/me/devices/${encodeURIComponent(deviceId)}/admin-pin`);
}
