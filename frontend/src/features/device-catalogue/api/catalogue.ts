// The device catalogue: device types, certificate templates and usage policies (CRUD
// resources of the generated schema), plus the lookups their forms need: groups, users
// (the template preview) and the template preview itself.
import { useMutation, useQuery } from '@tanstack/react-query';
import { createCrudHooks, crudApi } from '../../../api/crud';
import { http } from '../../../api/http';
import type { definitions } from '../../../api/schema';
import type { Group, ListResponse, User } from '../../../api/types';

type Defs = definitions;
export type DeviceType = Defs['DeviceType'];
export type DeviceTypeInput = Defs['DeviceTypeInput'];
export type DeviceTypePatch = Defs['DeviceTypePatch'];
export type PinAreaInput = Defs['DevicePinAreaInput'];
export type PinCharset = Defs['DevicePinRules']['charset'];
export type CertificateTemplate = Defs['CertificateTemplate'];
export type TemplateInput = Defs['CertificateTemplateInput'];
export type TemplatePatch = Defs['CertificateTemplatePatch'];
export type SubjectRDN = Defs['SubjectRDN'];
export type RdnAttr = SubjectRDN['attr'];
export type KeyAlgorithm = CertificateTemplate['key_algorithm'];
export type TemplatePreview = Defs['CertificateTemplatePreview'];
export type TemplatePreviewInput = Defs['CertificateTemplatePreviewInput'];
export type DevicePolicy = Defs['DevicePolicy'];
export type DevicePolicyInput = Defs['DevicePolicyInput'];
export type DevicePolicyPatch = Defs['DevicePolicyPatch'];

export const KEY_ALGORITHMS: readonly KeyAlgorithm[] = ['ecdsa-p256', 'ecdsa-p384', 'rsa-2048', 'rsa-3072', 'rsa-4096'];
export const RDN_ATTRS: readonly RdnAttr[] = ['CN', 'O', 'OU', 'E', 'C', 'L', 'ST', 'SERIALNUMBER', 'UID'];
export const KEY_USAGES = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement'] as const;
export const EXT_KEY_USAGES = ['clientAuth', 'serverAuth', 'emailProtection', 'codeSigning', 'timeStamping', 'smartcardLogon'] as const;
export const PIN_CHARSETS: readonly PinCharset[] = ['digits', 'alnum', 'any'];

export const deviceTypes = createCrudHooks('device-types', crudApi<DeviceType, DeviceTypeInput, DeviceTypePatch>('/device-types'), ['audit']);
export const templates = createCrudHooks(
  'certificate-templates',
  crudApi<CertificateTemplate, TemplateInput, TemplatePatch>('/certificate-templates'),
  ['audit'],
);
export const policies = createCrudHooks('device-policies', crudApi<DevicePolicy, DevicePolicyInput, DevicePolicyPatch>('/device-policies'), ['audit']);

const ALL = { page_size: 200, sort: 'name', order: 'asc' } as const;

/** useGroupOptions: every group (first 200 by name) for the policy's groups. */
export function useGroupOptions() {
  return useQuery({
    queryKey: ['groups', 'list', ALL],
    queryFn: ({ signal }) => http.get<ListResponse<Group>>('/groups', { query: ALL, signal }),
    staleTime: 60_000,
  });
}

/** useTemplateOptions: every certificate template (first 200 by name) for the policy's templates. */
export function useTemplateOptions() {
  return useQuery({
    queryKey: ['certificate-templates', 'list', ALL],
    queryFn: ({ signal }) => http.get<ListResponse<CertificateTemplate>>('/certificate-templates', { query: ALL, signal }),
    staleTime: 60_000,
  });
}

/** useUserSearch: the first users matching q, for a search select. */
export function useUserSearch(q: string) {
  const query = { q: q || undefined, page_size: 20, sort: 'login', order: 'asc' as const };
  return useQuery({
    queryKey: ['users', 'list', query],
    queryFn: ({ signal }) => http.get<ListResponse<User>>('/users', { query, signal }),
    staleTime: 10_000,
  });
}

/** usePreview: the subject a template makes for one user (nothing is saved). */
export function usePreview() {
  return useMutation({ mutationFn: (body: TemplatePreviewInput) => http.post<TemplatePreview>('/certificate-templates/preview', body) });
}
