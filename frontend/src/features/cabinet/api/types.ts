// The client cabinet's shapes: aliases of the generated schema (api/swagger.json).
import type { definitions } from '../../../api/schema';

type Defs = definitions;

export type CabinetSystem = Defs['CabinetSystem'];
export type CabinetSystems = Defs['CabinetSystems'];
export type CabinetPatch = Defs['CabinetPatch'];
export type CabinetCertificateInput = Defs['CabinetCertificateInput'];
export type CabinetCertificate = Defs['SystemCertificate'];
export type IssuedCabinetCertificate = Defs['CreatedSystemCertificate'];
