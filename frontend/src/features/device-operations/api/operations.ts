// The operators' side of device issuance: the issuances (the approval queue, decisions one by
// one and in bulk, issuing for a user) and the issued devices (block, unblock, revoke, the
// SKZI accounting register). Every change invalidates both lists and the audit log.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { http } from '../../../api/http';
import { useOptions, useUserSearch as useUserSearchOf } from '../../../api/options';
import type { definitions } from '../../../api/schema';
import type { BulkResult, ListParams, ListResponse, User } from '../../../api/types';

type Defs = definitions;
export type Issuance = Defs['Issuance'];
export type IssuanceState = Issuance['state'];
export type IssuanceEvent = Defs['IssuanceEvent'];
export type IssuanceForUser = Defs['IssuanceForUserInput'];
export type Device = Defs['Device'];
export type DeviceDetail = Defs['DeviceDetail'];
export type DeviceStatus = Device['status'];
export type DeviceType = Defs['DeviceType'];
export type CertificateTemplate = Defs['CertificateTemplate'];
export type EffectivePolicy = Defs['EffectiveDevicePolicy'];
export type DeviceAct = 'block' | 'unblock' | 'revoke';

export const ISSUANCE_STATES: readonly IssuanceState[] = [
  'draft',
  'smev_check',
  'pending_approval',
  'approved',
  'rejected',
  'writing',
  'issued',
  'failed',
  'cancelled',
];
export const DEVICE_STATUSES: readonly DeviceStatus[] = ['issued', 'blocked', 'revoked'];

const enc = encodeURIComponent;

function useInvalidate() {
  const qc = useQueryClient();
  return () => Promise.all(['issuances', 'devices', 'audit'].map((k) => qc.invalidateQueries({ queryKey: [k] })));
}

export function useIssuances(params: ListParams) {
  return useQuery({
    queryKey: ['issuances', 'list', params],
    queryFn: ({ signal }) => http.get<ListResponse<Issuance>>('/issuances', { query: params, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useIssuance(id: string) {
  return useQuery({ queryKey: ['issuances', 'detail', id], queryFn: ({ signal }) => http.get<Issuance>(`/issuances/${enc(id)}`, { signal }) });
}

/** useDecide approves or rejects one pending issuance (reject needs the comment). */
export function useDecide() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, decision, comment }: { id: string; decision: 'approve' | 'reject'; comment: string }) =>
      http.post<Issuance>(`/issuances/${enc(id)}/${decision}`, { comment }),
    onSettled: invalidate,
  });
}

export function useBulkApprove() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ ids, comment }: { ids: string[]; comment: string }) => http.post<BulkResult>('/issuances/bulk-approve', { ids, comment }),
    onSettled: invalidate,
  });
}

export function useIssueForUser() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: IssuanceForUser) => http.post<Issuance>('/issuances', body), onSuccess: invalidate });
}

export function useDevices(params: ListParams) {
  return useQuery({
    queryKey: ['devices', 'list', params],
    queryFn: ({ signal }) => http.get<ListResponse<Device>>('/devices', { query: params, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useDevice(id: string) {
  return useQuery({ queryKey: ['devices', 'detail', id], queryFn: ({ signal }) => http.get<DeviceDetail>(`/devices/${enc(id)}`, { signal }) });
}

export function useDeviceAct() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, act, version, comment }: { id: string; act: DeviceAct; version: number; comment: string }) =>
      http.post<DeviceDetail>(`/devices/${enc(id)}/${act}`, { version, comment }),
    onSettled: invalidate,
  });
}

const REGISTER_PAGE = 200;
const REGISTER_MAX_PAGES = 50;

/** fetchRegister reads every device (page by page) and keeps those with an SKZI document. */
export async function fetchRegister(signal?: AbortSignal): Promise<Device[]> {
  const out: Device[] = [];
  for (let page = 1; page <= REGISTER_MAX_PAGES; page += 1) {
    const res = await http.get<ListResponse<Device>>('/devices', { query: { page, page_size: REGISTER_PAGE, sort: 'issued_at', order: 'asc' }, signal });
    out.push(...res.items.filter((d) => d.skzi_number));
    if (res.items.length < REGISTER_PAGE) break;
  }
  return out;
}

export function useRegister() {
  return useQuery({ queryKey: ['devices', 'register'], queryFn: ({ signal }) => fetchRegister(signal) });
}

export const useDeviceTypeOptions = () => useOptions<DeviceType>('device-types');
export const useTemplateOptions = () => useOptions<CertificateTemplate>('certificate-templates');
export const useUserSearch = (q: string) => useUserSearchOf<User>(q);

export function useUserPolicy(userId: string | undefined) {
  return useQuery({
    queryKey: ['users', 'device-policy', userId],
    queryFn: ({ signal }) => http.get<EffectivePolicy>(`/users/${enc(userId ?? '')}/device-policy`, { signal }),
    enabled: !!userId,
  });
}
