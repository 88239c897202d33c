// Import providers from an export file: a preview (dry run) of what will be created,
// changed or refused, then the import itself.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import App from 'antd/es/app';
import Button from 'antd/es/button';
import Modal from 'antd/es/modal';
import Table from 'antd/es/table';
import Tag from 'antd/es/tag';
import Typography from 'antd/es/typography';
import Upload from 'antd/es/upload';
import { UploadOutlined } from '@ant-design/icons';
import { errorMessage, fieldErrorMessage } from '../../../lib/errors';
import { TID } from '../../../testids';
import { useImport } from '../api/providers';
import type { ImportItem, ImportResult } from '../api/types';
import { parseImport } from './transfer';

// The import names changed fields by their JSON names; the preview shows the form's labels.
const CHANGE_LABEL: Record<string, string> = {
  name: 'providers.fields.name',
  active: 'providers.fields.active',
  button_label: 'providers.fields.buttonLabel',
  base_group_ids: 'providers.fields.baseGroups',
  allow_user_creation: 'providers.fields.allowCreation',
  user_type_id: 'providers.fields.userType',
  params: 'providers.tabs.params',
  mappings: 'providers.tabs.mapping',
  'params.client_secret': 'providers.fields.clientSecret',
  'params.bind_password': 'providers.fields.bindPassword',
};

const ACTION_COLOR: Record<ImportResult['action'], string> = { create: 'green', update: 'blue', unchanged: 'default', conflict: 'red' };

export function ImportDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const [items, setItems] = useState<ImportItem[] | null>(null);
  const [fileName, setFileName] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const imp = useImport();
  const preview = imp.data;

  const reset = () => {
    setItems(null);
    setFileName('');
    setFileError(null);
    imp.reset();
  };
  const close = () => {
    reset();
    onClose();
  };
  const readFile = async (file: File) => {
    reset();
    setFileName(file.name);
    const parsed = parseImport(await file.text());
    if (parsed.error) return setFileError(t(`providers.import.fileErrors.${parsed.error}`));
    setItems(parsed.items ?? null);
    imp.mutate({ items: parsed.items ?? [], dryRun: true });
  };
  const apply = async () => {
    if (!items) return;
    try {
      const r = await imp.mutateAsync({ items, dryRun: false });
      const failed = r.results.filter((x) => x.action === 'conflict').length;
      notification[failed ? 'warning' : 'success']({ message: t('providers.import.done', { ok: r.results.length - failed, failed }) });
      if (!failed) close();
    } catch {
      // The error shows in the dialog.
    }
  };
  const applicable = !!preview?.dry_run && preview.results.some((r) => r.action === 'create' || r.action === 'update');

  return (
    <Modal
      open={open}
      width={820}
      title={t('providers.import.title')}
      onCancel={close}
      wrapProps={{ 'data-testid': TID.providerImportDialog }}
      footer={[
        <Button key="cancel" onClick={close}>
          {t('common.cancel')}
        </Button>,
        <Button key="apply" type="primary" disabled={!applicable} loading={imp.isPending && !!preview} onClick={() => void apply()} data-testid={TID.providerImportApply}>
          {t('providers.import.apply')}
        </Button>,
      ]}
    >
      <Typography.Paragraph type="secondary">{t('providers.import.hint')}</Typography.Paragraph>
      <Upload
        accept=".json,application/json"
        showUploadList={false}
        beforeUpload={(file) => {
          void readFile(file);
          return false;
        }}
      >
        <Button icon={<UploadOutlined />} data-testid={TID.providerImportFile}>
          {t('providers.import.chooseFile')}
        </Button>
      </Upload>
      {fileName && <Typography.Text style={{ marginInlineStart: 12 }}>{fileName}</Typography.Text>}
      {fileError && <Alert type="error" showIcon style={{ marginTop: 12 }} message={fileError} />}
      {imp.isError && <Alert type="error" showIcon style={{ marginTop: 12 }} message={errorMessage(t, imp.error)} />}
      {preview && (
        <>
          <Alert
            type={preview.dry_run ? 'info' : 'success'}
            showIcon
            style={{ marginTop: 12 }}
            message={t(preview.dry_run ? 'providers.import.previewNote' : 'providers.import.appliedNote')}
          />
          <Table<ImportResult>
            data-testid={TID.providerImportPreview}
            style={{ marginTop: 12 }}
            size="small"
            rowKey="index"
            pagination={false}
            dataSource={preview.results}
            columns={[
              { key: 'name', title: t('providers.fields.name'), dataIndex: 'name' },
              { key: 'type', title: t('providers.fields.type'), render: (_: unknown, r) => t(`providers.types.${r.type}`, { defaultValue: r.type }) },
              {
                key: 'action',
                title: t('providers.import.action'),
                render: (_: unknown, r) => <Tag color={ACTION_COLOR[r.action]}>{t(`providers.import.actions.${r.action}`)}</Tag>,
              },
              { key: 'details', title: t('providers.import.details'), render: (_: unknown, r) => <ResultDetails r={r} /> },
            ]}
          />
        </>
      )}
    </Modal>
  );
}

function ResultDetails({ r }: { r: ImportResult }) {
  const { t } = useTranslation();
  if (r.action === 'conflict') {
    const base = t(`errors.${r.code ?? 'generic'}`, { defaultValue: r.message || t('errors.generic') });
    const fields = (r.errors ?? []).map((fe) => `${fe.field}: ${fieldErrorMessage(t, fe)}`);
    return <Typography.Text type="danger">{[base, ...fields].join('; ')}</Typography.Text>;
  }
  if (r.action === 'update') return <span>{(r.changes ?? []).map((c) => (CHANGE_LABEL[c] ? t(CHANGE_LABEL[c]) : c)).join(', ')}</span>;
  return null;
}
