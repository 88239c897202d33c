// The provider form, create and edit: tabs Main, Parameters (not for local), Schema
// mapping and History; Test connection, dry run and export on a saved provider.
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import App from 'antd/es/app';
import Button from 'antd/es/button';
import Form from 'antd/es/form';
import Tabs from 'antd/es/tabs';
import { DownloadOutlined } from '@ant-design/icons';
import { usePermissions } from '../../../api/auth';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { FormActions, VersionConflictAlert, useEntityForm } from '../../../components/EntityForm';
import { ResourceHistory } from '../../../components/History/ResourceHistory';
import { PageHeader } from '../../../components/PageHeader';
import { PageSpinner } from '../../../app/PageSpinner';
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
  const { id } = useParams();
  const isNew = !id || id === 'new';
  const { has } = usePermissions();
  const { notification } = App.useApp();
  const canWrite = has('providers.write');
  const [form] = Form.useForm<ProviderFormValues>();
  const [tab, setTab] = useState('main');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const type = (Form.useWatch('type', form) ?? emptyProvider.type) as ProviderType;
  const one = providers.useOne(isNew ? undefined : id);
  const create = providers.useCreate();
  const update = providers.useUpdate();
  const remove = providers.useRemove();
  const setDetail = providers.useSetDetail();

  // Errors on mappings come back by index; the form keys mappings by attribute code.
  const remapped = <T,>(v: ProviderFormValues, call: () => Promise<T>) =>
    call().catch((e: unknown) => {
      throw remapMappingErrors(e, mappingsFor(v.mappings).order);
    });
  const ef = useEntityForm({
    form,
    listPath: '/providers',
    entity: one.data,
    toValues: providerToValues,
    create: (v) => remapped(v, () => create.mutateAsync(valuesToCreate(v))),
    update: (pid, v, version) => remapped(v, () => update.mutateAsync({ id: pid, body: valuesToUpdate(v, version) })),
    remove: (pid) => remove.mutateAsync(pid),
    onCurrent: setDetail,
    refetch: () => void one.refetch(),
  });

  const showFirstError = () => {
    const first = form.getFieldsError().find((f) => f.errors.length > 0);
    if (first) setTab(tabOfField(first.name));
  };

  if (!isNew && one.isPending) return <PageSpinner />;
  if (!isNew && one.isError) return <Alert type="error" showIcon message={errorMessage(t, one.error)} />;

  const provider = one.data;
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
    { key: 'main', label: t('providers.tabs.main'), forceRender: true, children: <ProviderMainTab isNew={isNew} savedAllowCreation={!!provider?.allow_user_creation} /> },
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
    <>
      <PageHeader
        title={provider ? t('providers.editTitle', { name: provider.name }) : t('providers.newTitle')}
        extra={
          provider ? (
            <>
              {canWrite && <TestConnectionButton providerId={provider.id} isDirty={() => differs(provider, form.getFieldsValue(true) as ProviderFormValues)} />}
              <Button icon={<DownloadOutlined />} onClick={() => void exportOne()} data-testid={TID.providerExportOne}>
                {t('providers.export')}
              </Button>
            </>
          ) : undefined
        }
      />
      {ef.conflict && <VersionConflictAlert onReload={ef.reloadFromConflict} />}
      <Form<ProviderFormValues>
        form={form}
        layout="vertical"
        style={{ maxWidth: 820 }}
        disabled={!canWrite}
        initialValues={emptyProvider}
        onFinish={() => void ef.submit(form.getFieldsValue(true) as ProviderFormValues).then(showFirstError)}
        onFinishFailed={showFirstError}
      >
        <Tabs data-testid={TID.providerTabs} activeKey={activeTab} onChange={setTab} items={tabs} />
        <FormActions
          saving={ef.saving}
          canSave={canWrite}
          onCancel={ef.cancel}
          onDelete={
            provider && canWrite && activeTab === 'main'
              ? () => {
                  setConfirmDelete(true);
                  void one.refetch(); // a fresh count of the users who came through it
                }
              : undefined
          }
          deleteDisabledReason={deleteReason}
        />
      </Form>
      <ConfirmDialog
        open={confirmDelete}
        testId={TID.providerDeleteConfirm}
        title={t('providers.deleteTitle')}
        onCancel={() => setConfirmDelete(false)}
        onConfirm={() => {
          setConfirmDelete(false);
          void ef.remove();
        }}
      >
        <p>
          <strong>{provider?.name}</strong>
        </p>
        <p>{t('providers.deleteUsers', { count: provider?.users_count ?? 0 })}</p>
        <p>{t('providers.deleteIrreversible')}</p>
      </ConfirmDialog>
    </>
  );
}
