// The template's subject for a chosen user, computed by the server from the form as it is
// (nothing saved): the resulting DN and the placeholders that came out empty.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Form from 'antd/es/form';
import Select from 'antd/es/select';
import Space from 'antd/es/space';
import Typography from 'antd/es/typography';
import { errorMessage } from '../../../lib/errors';
import { TID } from '../../../testids';
import { usePreview, useUserSearch, type SubjectRDN } from '../api/catalogue';

export function TemplatePreview() {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const [q, setQ] = useState('');
  const [userId, setUserId] = useState<string>();
  const users = useUserSearch(q);
  const preview = usePreview();
  const run = () => {
    if (!userId) return;
    const subject = ((form.getFieldValue('subject') as SubjectRDN[] | undefined) ?? []).filter((r) => r?.attr);
    preview.mutate({ user_id: userId, subject });
  };
  const res = preview.data;
  return (
    <Card size="small" title={t('devices.templates.preview')} data-testid={TID.templatePreview} style={{ marginTop: 16 }}>
      <Space.Compact style={{ width: '100%' }}>
        <Select
          showSearch
          allowClear
          filterOption={false}
          onSearch={setQ}
          value={userId}
          onChange={setUserId}
          aria-label={t('devices.templates.previewUser')}
          placeholder={t('devices.templates.previewUser')}
          style={{ flex: 1 }}
          loading={users.isFetching}
          options={(users.data?.items ?? []).map((u) => ({ value: u.id, label: u.display_name ? `${u.login} (${u.display_name})` : u.login }))}
        />
        <Button disabled={!userId} loading={preview.isPending} onClick={run}>
          {t('devices.templates.showPreview')}
        </Button>
      </Space.Compact>
      {preview.isError && <Alert style={{ marginTop: 12 }} type="error" showIcon message={errorMessage(t, preview.error)} />}
      {res && (
        <div style={{ marginTop: 12 }}>
          <Typography.Text strong>{t('devices.templates.resultSubject')}: </Typography.Text>
          <Typography.Text code data-testid={TID.templatePreviewSubject}>
            {res.subject || '—'}
          </Typography.Text>
          {res.empty_placeholders.length > 0 && (
            <Alert
              style={{ marginTop: 8 }}
              type="warning"
              showIcon
              data-testid={TID.templatePreviewEmpty}
              message={t('devices.templates.emptyPlaceholders', { list: res.empty_placeholders.join(', ') })}
              description={res.omitted.length > 0 ? t('devices.templates.omitted', { list: res.omitted.join(', ') }) : undefined}
            />
          )}
        </div>
      )}
    </Card>
  );
}
