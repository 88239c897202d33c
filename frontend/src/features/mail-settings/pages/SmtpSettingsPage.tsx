// The SMTP settings (settings.write): host, port, sender, TLS mode, the CA certificate
// trusted instead of the system roots, user name and the write-only password; Save
// (guarded by the version) and Send a test mail (a refusal shows the server's answer).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import App from 'antd/es/app';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import InputNumber from 'antd/es/input-number';
import Radio from 'antd/es/radio';
import Space from 'antd/es/space';
import Tag from 'antd/es/tag';
import { PageSpinner } from '../../../app/PageSpinner';
import { isApiError } from '../../../api/http';
import { VersionConflictAlert } from '../../../components/EntityForm';
import { PageHeader } from '../../../components/PageHeader';
import { WriteOnlySecret, secretToRequest, type SecretChange } from '../../../components/WriteOnlySecret';
import { errorMessage, placeOrNotify } from '../../../lib/errors';
import { TID } from '../../../testids';
import { TLS_MODES, useSaveSmtp, useSmtp, useTestSmtp, type SmtpSettings, type TlsMode } from '../api/smtp';

interface Values {
  host: string;
  port: number;
  from: string;
  tls_mode: TlsMode;
  tls_ca_pem: string;
  username: string;
  password?: SecretChange;
}

const toValues = (s: SmtpSettings): Values => ({ host: s.host, port: s.port || 587, from: s.from, tls_mode: s.tls_mode, tls_ca_pem: s.tls_ca_pem ?? '', username: s.username, password: undefined });

export function SmtpSettingsPage() {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const smtp = useSmtp();
  const save = useSaveSmtp();
  const test = useTestSmtp();
  const [form] = Form.useForm<Values>();
  const [to, setTo] = useState('');
  const [conflict, setConflict] = useState<SmtpSettings | null>(null);
  const s = smtp.data;
  useEffect(() => {
    if (s) form.setFieldsValue(toValues(s));
  }, [s?.version]);
  if (smtp.isPending) return <PageSpinner />;
  if (smtp.isError) return <Alert type="error" showIcon message={errorMessage(t, smtp.error)} />;
  const settings = smtp.data;

  const submit = async (v: Values) => {
    try {
      await save.mutateAsync({
        version: settings.version,
        host: (v.host ?? '').trim(),
        port: v.port,
        from: (v.from ?? '').trim(),
        tls_mode: v.tls_mode,
        tls_ca_pem: (v.tls_ca_pem ?? '').trim(),
        username: (v.username ?? '').trim(),
        password: secretToRequest(v.password),
      });
      form.setFieldValue('password', undefined);
      setConflict(null);
      notification.success({ message: t('common.saved') });
    } catch (e) {
      if (isApiError(e) && e.code === 'resource.versionConflict') setConflict((e.current as SmtpSettings | undefined) ?? settings);
      else placeOrNotify(t, form, e, (message) => notification.error({ message }));
    }
  };
  const sendTest = async () => {
    try {
      const r = await test.mutateAsync(to.trim());
      notification.success({ message: t('smtp.testSent', { to: r.to }) });
    } catch (e) {
      // The server's answer (535 …, x509: certificate signed by unknown authority) is the cause to fix.
      const cause = isApiError(e) && e.code === 'notify.sendFailed' ? e.detail : undefined;
      notification.error({ message: errorMessage(t, e), description: cause, duration: 0 });
    }
  };
  return (
    <>
      <PageHeader
        title={t('smtp.title')}
        extra={settings.configured ? <Tag color="green">{t('smtp.configured')}</Tag> : <Tag>{t('smtp.notConfigured')}</Tag>}
      />
      {conflict && (
        <VersionConflictAlert
          onReload={() => {
            void smtp.refetch();
            setConflict(null);
          }}
        />
      )}
      <Form<Values> form={form} layout="vertical" style={{ maxWidth: 640 }} initialValues={toValues(settings)} onFinish={(v) => void submit(v)} data-testid={TID.smtpForm}>
        <Form.Item label={t('smtp.host')} name="host" extra={t('smtp.hostHint')}>
          <Input autoComplete="off" placeholder="smtp.example.com" />
        </Form.Item>
        <Form.Item label={t('smtp.port')} name="port">
          <InputNumber min={1} max={65535} />
        </Form.Item>
        <Form.Item label={t('smtp.from')} name="from">
          <Input autoComplete="off" placeholder="custos@example.com" />
        </Form.Item>
        <Form.Item label={t('smtp.tlsMode')} name="tls_mode">
          <Radio.Group>
            {TLS_MODES.map((m) => (
              <Radio key={m} value={m}>
                {t(`smtp.tls.${m}`)}
              </Radio>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item label={t('smtp.caPem')} name="tls_ca_pem" extra={t('smtp.caPemHint')}>
          <Input.TextArea autoComplete="off" spellCheck={false} rows={4} style={{ fontFamily: 'monospace' }} placeholder="-----BEGIN CERTIFICATE-----" />
        </Form.Item>
        <Form.Item label={t('smtp.username')} name="username">
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item label={t('smtp.password')} name="password">
          <WriteOnlySecret isSet={settings.has_password} testId={TID.smtpPassword} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('common.save')}
        </Button>
      </Form>
      <Card size="small" title={t('smtp.testTitle')} style={{ maxWidth: 640, marginTop: 24 }}>
        <Space.Compact style={{ width: '100%' }}>
          <Input aria-label={t('smtp.testTo')} placeholder={t('smtp.testTo')} value={to} onChange={(e) => setTo(e.target.value)} type="email" />
          <Button data-testid={TID.smtpTest} disabled={!to.trim()} loading={test.isPending} onClick={() => void sendTest()}>
            {t('smtp.sendTest')}
          </Button>
        </Space.Compact>
      </Card>
    </>
  );
}
