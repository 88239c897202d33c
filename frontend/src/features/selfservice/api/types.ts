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

/** IssuanceOptions: the caller's usage policy (null when none applies), the device types and the policy's templates (GET /me/device-options). */
export type IssuanceOptions = Defs['MyDeviceOptions'];
export type MyDevicePolicy = Defs['MyDevicePolicy'];
export type OptionTemplate = Defs['MyCertificateTemplate'];
export type OptionDeviceType = Defs['DeviceType'];
