// The system page: tabs Main / Certificates / Statistics / Webhooks / Settings change log (the audit events of
// this system, for those who may read the audit log).
import { useTranslation } from 'react-i18next';
import { EntityFormShell, useCrudFormPage } from '../../../components/EntityForm';
import { ResourceHistory } from '../../../components/History/ResourceHistory';
import { usePermissions } from '../../../api/auth';
import { TID } from '../../../testids';
import { systems } from '../api/systems';
import type { SettingsTexts, System, SystemInput, SystemPatch } from '../api/types';
import { CertificatesTab } from '../components/CertificatesTab';
import { StatsTab } from '../components/StatsTab';
import { SystemMainTab } from '../components/SystemMainTab';
import { WebhooksTab } from '../components/WebhooksTab';

interface Values {
  name: string;
  description: string;
  enabled: boolean;
  owner_group_id?: string | null;
  allowed_services: string[];
  settings_texts: SettingsTexts;
  client_editable: CabinetField[];
  client_may_issue: boolean;
}

type CabinetField = 'description' | 'settings_texts';

const empty: Values = { name: '', description: '', enabled: true, owner_group_id: undefined, allowed_services: [], settings_texts: { ru: '', en: '' }, client_editable: [], client_may_issue: false };

const toValues = (s: System): Values => ({
  name: s.name,
  description: s.description,
  enabled: s.enabled,
  owner_group_id: s.owner_group_id ?? undefined,
  allowed_services: s.allowed_services ?? [],
  settings_texts: { ru: s.settings_texts?.ru ?? '', en: s.settings_texts?.en ?? '' },
  client_editable: (s.client_editable ?? []) as CabinetField[],
  client_may_issue: s.client_may_issue ?? false,
});

const toInput = (v: Values): SystemInput => ({
  name: v.name.trim(),
  description: v.description ?? '',
  enabled: v.enabled,
  owner_group_id: v.owner_group_id || null,
  allowed_services: v.allowed_services ?? [],
  settings_texts: { ru: v.settings_texts?.ru ?? '', en: v.settings_texts?.en ?? '' },
  client_editable: v.client_editable ?? [],
  client_may_issue: v.client_may_issue ?? false,
});

const toUpdate = (v: Values, version: number): SystemPatch => ({ version, ...toInput(v) });

export function SystemFormPage() {
  const { t } = useTranslation();
  const { has } = usePermissions();
  const page = useCrudFormPage({ resource: systems, listPath: '/systems', writePermission: 'certificates.write', toValues, toCreate: toInput, toUpdate });
  if (page.placeholder) return page.placeholder;
  const system = page.entity;
  const tabs = [{ key: 'main', label: t('common.tabMain'), forceRender: true, children: <SystemMainTab /> }];
  if (system) {
    tabs.push({ key: 'certificates', label: t('systems.certs.tab'), forceRender: false, children: <CertificatesTab system={system} canWrite={page.canWrite} /> });
    if (has('stats.read')) {
      tabs.push({ key: 'stats', label: t('statsView.tab'), forceRender: false, children: <StatsTab system={system} /> });
    }
    tabs.push({ key: 'webhooks', label: t('systems.webhooks.tab'), forceRender: false, children: <WebhooksTab system={system} canWrite={page.canWrite} /> });
    if (has('audit.read')) {
      tabs.push({ key: 'history', label: t('common.tabHistory'), forceRender: false, children: <ResourceHistory resourceType="system" resourceId={system.id} /> });
    }
  }
  return (
    <EntityFormShell
      page={page}
      title={system ? t('systems.editTitle', { name: system.name }) : t('systems.newTitle')}
      initialValues={empty}
      tabs={tabs}
      tabsTestId={TID.systemTabs}
      formlessTabs={['certificates', 'stats', 'webhooks', 'history']}
      maxWidth={1200}
      deleteConfirmText={t('systems.deleteConfirm', { name: system?.name ?? '' })}
    />
  );
}
