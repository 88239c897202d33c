// Integrated systems and their certificates: aliases of the generated schema
// (api/swagger.json), so the SPA and the API cannot drift.
import type { definitions } from '../../../api/schema';

type Defs = definitions;

export type System = Defs['System'];
export type SystemInput = Defs['SystemInput'];
export type SystemPatch = Defs['SystemPatch'];
export type SettingsTexts = Defs['SystemSettingsTexts'];

export type Certificate = Defs['SystemCertificate'];
export type CertificateOrigin = Certificate['origin'];
export type CertificateStatus = Certificate['status'];

/** CertificateInput is one of the three ways in (the document types them as one object). */
export type CertificateInput =
  | { method: 'csr'; csr: string; validity_days?: number }
  | { method: 'p12'; password: string; validity_days?: number }
  | { method: 'manual'; pem: string };

/** IssuedCertificate is the answer to a create: for p12 only, the bundle and the CA, once. */
export type IssuedCertificate = Defs['CreatedSystemCertificate'];

export type RevocationReason = Defs['SystemCertificateRevoke']['reason'];

/** RFC 5280 revocation reasons as the API names them, in the order the dialog offers them. */
export const REVOCATION_REASONS: readonly RevocationReason[] = [
  'unspecified',
  'keyCompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'privilegeWithdrawn',
];

/** EXPIRING_SOON_DAYS: an active certificate expiring within this many days gets a badge. */
export const EXPIRING_SOON_DAYS = 30;

export const DEFAULT_VALIDITY_DAYS = 365;
