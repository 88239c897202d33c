// The device catalogue: device types, certificate templates and usage policies (CRUD
// resources of the generated schema), plus the lookups their forms need: groups, users
// (the template preview) and the template preview itself.
import { useMutation } from '@tanstack/react-query';
import { createCrudHooks, crudApi } from '../../../api/crud';
import { http } from '../../../api/http';
import { useOptions, useUserSearch as useUserSearchOf } from '../../../api/options';
import type { definitions } from '../../../api/schema';
import type { Group, User } from '../../../api/types';

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

/** useGroupOptions: every group (first 200 by name) for the policy's groups. */
export const useGroupOptions = () => useOptions<Group>('groups');
/** useTemplateOptions: every certificate template (first 200 by name) for the policy's templates. */
export const useTemplateOptions = () => useOptions<CertificateTemplate>('certificate-templates');
/** useUserSearch: the first users matching q, for the preview's user select. */
export const useUserSearch = (q: string) => useUserSearchOf<User>(q);

/** usePreview: the subject a template makes for one user (nothing is saved). */
export function usePreview() {
  return useMutation({ mutationFn: (body: TemplatePreviewInput) => http.post<TemplatePreview>('/certificate-templates/preview', body) });
}
