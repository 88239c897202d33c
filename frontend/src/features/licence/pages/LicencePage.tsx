// Licence settings: the access type (On-premise / Cloud). Editable with settings.write only.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import Alert from 'antd/es/alert';
import App from 'antd/es/app';
import Button from 'antd/es/button';
import Form from 'antd/es/form';
import Radio from 'antd/es/radio';
import { usePermissions } from '../../../api/auth';
import { isApiError } from '../../../api/http';
import type { AccessType, Licence } from '../../../api/types';
import { VersionConflictAlert } from '../../../components/EntityForm';
import { PageHeader } from '../../../components/PageHeader';
import { PageSpinner } from '../../../app/PageSpinner';
import { applyFieldErrors, errorMessage } from '../../../lib/errors';
import { TID } from '../../../testids';
import { licenceKey, useLicence, useSaveLicence } from '../api/licence';

interface Values {
  access_type: AccessType;
}

export function LicencePage() {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const qc = useQueryClient();
  const canWrite = usePermissions().has('settings.write');
  const [form] = Form.useForm<Values>();
  const licence = useLicence();
  const save = useSaveLicence();
  const [conflict, setConflict] = useState<Licence | null | undefined>(undefined);

  useEffect(() => {
    if (licence.data) form.setFieldsValue({ access_type: licence.data.access_type });
  }, [licence.data, form]);

  if (licence.isPending) return <PageSpinner />;
  if (licence.isError) return <Alert type="error" showIcon message={errorMessage(t, licence.error)} />;

  const submit = async (v: Values) => {
    try {
      await save.mutateAsync({ access_type: v.access_type, version: licence.data.version });
      setConflict(undefined);
      notification.success({ message: t('common.saved') });
    } catch (e) {
      if (isApiError(e) && e.code === 'resource.versionConflict') {
        setConflict((e.current as Licence | undefined) ?? null);
        return;
      }
      if (applyFieldErrors(t, form, e).length > 0 || !isApiError(e) || e.errors.length === 0) {
        notification.error({ message: errorMessage(t, e) });
      }
    }
  };

  return (
    <>
      <PageHeader title={t('licence.title')} />
      {!canWrite && <Alert data-testid={TID.licenceReadOnly} type="info" showIcon style={{ marginBottom: 16, maxWidth: 640 }} message={t('licence.readOnly')} />}
      {conflict !== undefined && (
        <VersionConflictAlert
          onReload={() => {
            if (conflict) qc.setQueryData(licenceKey, conflict);
            else void licence.refetch();
            setConflict(undefined);
          }}
        />
      )}
      <Form<Values> form={form} layout="vertical" disabled={!canWrite} onFinish={(v) => void submit(v)} initialValues={{ access_type: licence.data.access_type }}>
        <Form.Item label={t('licence.accessType')} name="access_type" extra={t('licence.accessTypeHint')}>
          <Radio.Group data-testid={TID.licenceAccessType}>
            <Radio value="on_premise">{t('licence.onPremise')}</Radio>
            <Radio value="cloud">{t('licence.cloud')}</Radio>
          </Radio.Group>
        </Form.Item>
        {canWrite && (
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid={TID.formSave}>
            {t('common.save')}
          </Button>
        )}
      </Form>
    </>
  );
}
