// Self-service shapes: aliases of the generated schema (api/swagger.json), and the issuance
// options the page needs before asking for a device (see IssuanceOptions).
import type { definitions } from '../../../api/schema';

type Defs = definitions;

export type Issuance = Defs['Issuance'];
export type IssuanceInput = Defs['IssuanceInput'];
export type IssuanceCertificate = Defs['IssuanceCertificate'];
export type MyDevice = Defs['Device'];
export type SMEVForm = Defs['SMEVForm'];
export type SMEVPerson = Defs['SMEVPerson'];
export type SecretQuestions = Defs['SecretQuestions'];
export type SecretQuestionsInput = Defs['SecretQuestionsInput'];
export type DeviceType = Defs['DeviceType'];
export type DevicePolicy = Defs['DevicePolicy'];
export type CertificateTemplate = Defs['CertificateTemplate'];

/** OptionTemplate: what the page needs of a template (its name and key algorithm). */
export type OptionTemplate = Pick<CertificateTemplate, 'id' | 'name' | 'key_algorithm' | 'qualified'> & { description?: string };

/** OptionDeviceType: a device type without anything secret. */
export type OptionDeviceType = Pick<DeviceType, 'id' | 'name' | 'vendor' | 'model' | 'pin_areas' | 'pin_rules'>;

/**
 * IssuanceOptions is the caller's usage policy with the device types and the policy's
 * templates. The server answers it at GET /me/device-options (see fetchIssuanceOptions);
 * until it does, operators' endpoints are used for those who may read them.
 */
export interface IssuanceOptions {
  policy: DevicePolicy | null;
  device_types: OptionDeviceType[];
  templates: OptionTemplate[];
}
