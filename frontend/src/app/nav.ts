import type { Permission } from '../api/types';

/** A section of the console: its path, navigation label key and the permission that shows it. */
export interface Section {
  key: string;
  path: string;
  labelKey: string;
  permission: Permission;
  /** The navigation group's label key, when the section sits in a group (Devices). */
  groupKey?: string;
}

export const SECTIONS: readonly Section[] = [
  { key: 'providers', path: '/providers', labelKey: 'nav.providers', permission: 'providers.read' },
  { key: 'users', path: '/users', labelKey: 'nav.users', permission: 'users.read' },
  { key: 'groups', path: '/groups', labelKey: 'nav.groups', permission: 'users.read' },
  { key: 'user-types', path: '/user-types', labelKey: 'nav.userTypes', permission: 'users.read' },
  { key: 'access-schema', path: '/access-schema', labelKey: 'nav.accessSchema', permission: 'users.read' },
  { key: 'licence', path: '/licence', labelKey: 'nav.licence', permission: 'users.read' },
  { key: 'access-tokens', path: '/access-tokens', labelKey: 'nav.accessTokens', permission: 'apiTokens.read' },
  { key: 'systems', path: '/systems', labelKey: 'nav.systems', permission: 'certificates.read' },
  { key: 'ca', path: '/ca', labelKey: 'nav.ca', permission: 'certificates.read' },
  { key: 'smtp', path: '/mail-settings', labelKey: 'nav.smtp', permission: 'settings.write' },
  { key: 'device-types', path: '/device-types', labelKey: 'nav.deviceTypes', permission: 'devices.read', groupKey: 'nav.devicesGroup' },
  { key: 'certificate-templates', path: '/certificate-templates', labelKey: 'nav.certTemplates', permission: 'devices.read', groupKey: 'nav.devicesGroup' },
  { key: 'device-policies', path: '/device-policies', labelKey: 'nav.devicePolicies', permission: 'devices.read', groupKey: 'nav.devicesGroup' },
  { key: 'issuances', path: '/issuances', labelKey: 'nav.issuances', permission: 'devices.read', groupKey: 'nav.devicesGroup' },
  { key: 'devices', path: '/devices', labelKey: 'nav.devices', permission: 'devices.read', groupKey: 'nav.devicesGroup' },
  { key: 'skzi-register', path: '/skzi-register', labelKey: 'nav.skziRegister', permission: 'devices.read', groupKey: 'nav.devicesGroup' },
  { key: 'audit', path: '/audit', labelKey: 'nav.audit', permission: 'audit.read' },
  { key: 'cabinet', path: '/cabinet', labelKey: 'nav.cabinet', permission: 'cabinet' },
  { key: 'self-service', path: '/self-service', labelKey: 'nav.selfService', permission: 'selfservice' },
];

/** visibleSections are the sections a user with these permissions may open. */
export function visibleSections(permissions: ReadonlySet<string>): Section[] {
  return SECTIONS.filter((s) => permissions.has(s.permission));
}

/** DASHBOARD_PERMISSIONS: holding any of them, the home page shows the dashboard (each card its own). */
export const DASHBOARD_PERMISSIONS: readonly Permission[] = ['stats.read', 'certificates.read', 'apiTokens.read'];

/** showsDashboard: the home page is the dashboard rather than a redirect. */
export function showsDashboard(permissions: ReadonlySet<string>): boolean {
  return DASHBOARD_PERMISSIONS.some((p) => permissions.has(p));
}
