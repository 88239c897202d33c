// The provider form, create and edit: tabs Main, Parameters (not for local), Schema
// mapping and History; Test connection, dry run and export on a saved provider.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import App from 'antd/es/app';
import Button from 'antd/es/button';
import Form from 'antd/es/form';
import { DownloadOutlined } from '@ant-design/icons';
import { usePermissions } from '../../../api/auth';
import { EntityFormShell, useCrudFormPage } from '../../../components/EntityForm';
import { ResourceHistory } from '../../../components/History/ResourceHistory';
import { errorMessage } from '../../../lib/errors';
import { TID } from '../../../testids';
import { exportProviders, providers } from '../api/providers';
import type { ProviderType } from '../api/types';
import { DryRunButton } from '../components/DryRunDialog';
import { ProviderMainTab } from '../components/ProviderMainTab';
import { ProviderParamsTab } from '../components/ProviderParamsTab';
import { SchemaMappingTab } from '../components/SchemaMappingTab';
import { TestConnectionButton } from '../components/TestConnection';
import { downloadJson, exportFilename } from '../components/transfer';
import {
  differs,
  emptyProvider,
  fieldsFor,
  mappingsFor,
  providerToValues,
  remapMappingErrors,
  valuesToCreate,
  valuesToUpdate,
  type ProviderFormValues,
} from '../components/providerForm';

/** tabOfField names the tab that holds a form field, to show the first error. */
export function tabOfField(name: (string | number)[]): 'main' | 'params' | 'mapping' {
  if (name[0] === 'params') return 'params';
  if (name[0] === 'mappings') return 'mapping';
  return 'main';
}

export function ProviderFormPage() {
  const { t } = useTranslation();
  const { has } = usePermissions();
  const { notification } = App.useApp();
  const [tab, setTab] = useState('main');
  const page = useCrudFormPage({
    resource: providers,
    listPath: '/providers',
    writePermission: 'providers.write',
    toValues: providerToValues,
    toCreate: valuesToCreate,
    toUpdate: valuesToUpdate,
    // Errors on mappings come back by index; the form keys mappings by attribute code.
    mapSaveError: (e, v) => remapMappingErrors(e, mappingsFor(v.mappings).order),
  });
  const { form, canWrite } = page;
  const type = (Form.useWatch('type', form) ?? emptyProvider.type) as ProviderType;

  const showFirstError = () => {
    const first = form.getFieldsError().find((f) => f.errors.length > 0);
    if (first) setTab(tabOfField(first.name));
  };

  if (page.placeholder) return page.placeholder;

  const provider = page.entity;
  const f = fieldsFor(type);
  const deleteReason = !provider
    ? undefined
    : provider.type === 'local'
      ? t('providers.deleteReason.local')
      : provider.active
        ? t('providers.deleteReason.active')
        : undefined;
  const saved = !!provider;

  const tabs = [
    { key: 'main', label: t('providers.tabs.main'), forceRender: true, children: <ProviderMainTab isNew={page.isNew} savedAllowCreation={!!provider?.allow_user_creation} /> },
  ];
  if (f.paramsTab) {
    tabs.push({ key: 'params', label: t('providers.tabs.params'), forceRender: true, children: <ProviderParamsTab stored={provider?.params} version={provider?.version ?? 0} /> });
  }
  tabs.push({
    key: 'mapping',
    label: t('providers.tabs.mapping'),
    forceRender: true,
    children: <SchemaMappingTab saved={saved} toolbar={provider && canWrite ? <DryRunButton providerId={provider.id} type={provider.type} /> : undefined} />,
  });
  if (provider && has('audit.read')) {
    tabs.push({ key: 'history', label: t('providers.tabs.history'), forceRender: false, children: <ResourceHistory resourceType="provider" resourceId={provider.id} /> });
  }
  const activeTab = tabs.some((x) => x.key === tab) ? tab : 'main';

  const exportOne = async () => {
    if (!provider) return;
    try {
      downloadJson(await exportProviders([provider.id]), exportFilename());
    } catch (e) {
      notification.error({ message: errorMessage(t, e) });
    }
  };

  return (
    <EntityFormShell
      page={page}
      title={provider ? t('providers.editTitle', { name: provider.name }) : t('providers.newTitle')}
      headerExtra={
        provider ? (
          <>
            {canWrite && <TestConnectionButton providerId={provider.id} isDirty={() => differs(provider, form.getFieldsValue(true) as ProviderFormValues)} />}
            <Button icon={<DownloadOutlined />} onClick={() => void exportOne()} data-testid={TID.providerExportOne}>
              {t('providers.export')}
            </Button>
          </>
        ) : undefined
      }
      initialValues={emptyProvider}
      tabs={tabs}
      tabsTestId={TID.providerTabs}
      activeTab={activeTab}
      onTabChange={setTab}
      maxWidth={820}
      onFinish={() => page.submit(form.getFieldsValue(true) as ProviderFormValues).then(showFirstError)}
      onFinishFailed={showFirstError}
      canDelete={!!provider && canWrite && activeTab === 'main'}
      onAskDelete={page.refetch} // a fresh count of the users who came through it
      deleteTitle={t('providers.deleteTitle')}
      deleteTestId={TID.providerDeleteConfirm}
      deleteConfirmText={
        <>
          <p>
            <strong>{provider?.name}</strong>
          </p>
          <p>{t('providers.deleteUsers', { count: provider?.users_count ?? 0 })}</p>
          <p>{t('providers.deleteIrreversible')}</p>
        </>
      }
      deleteDisabledReason={deleteReason}
    />
  );
}
