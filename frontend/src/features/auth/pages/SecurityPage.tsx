// The Security page of the user menu: the person's authenticator app (TOTP) — set it up
// with a QR code or the key as text, see how many recovery codes are left, make new ones,
// remove it. Recovery codes are shown once, right after they are made. Below, the passkeys.
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import App from 'antd/es/app';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Space from 'antd/es/space';
import Spin from 'antd/es/spin';
import Tag from 'antd/es/tag';
import { useMe } from '../../../api/auth';
import { PageHeader } from '../../../components/PageHeader';
import { errorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { TID } from '../../../testids';
import { lastRequiredFactor, useFactors, useRegenerateCodes, useRemoveTotp, useStartTotp, type TOTPEnrolment } from '../api/factors';
import { EnrolTotp } from '../components/EnrolTotp';
import { ProveDialog } from '../components/ProveDialog';
import { PasskeysCard } from '../components/PasskeysCard';
import { RecoveryCodesPanel } from '../components/RecoveryCodesPanel';

export function SecurityPage() {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const me = useMe();
  const factors = useFactors();
  const start = useStartTotp();
  const remove = useRemoveTotp();
  const regenerate = useRegenerateCodes();
  const [enrolment, setEnrolment] = useState<TOTPEnrolment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [dialog, setDialog] = useState<'remove' | 'regenerate' | null>(null);
  const notifyError = (message: string) => notification.error({ message });
  const login = me.data?.user.login ?? '';
  const on = factors.data?.totp === true;
  const navigate = useNavigate();
  // A session that could only set up a factor opens the console once one is set up.
  const enrolmentOnly = me.data?.second_factor_policy?.enrolment_required === true;
  const [enrolling] = useState(enrolmentOnly);
  const enrolled = () => {
    if (enrolling || enrolmentOnly) navigate('/', { replace: true });
  };
  const last = lastRequiredFactor(factors.data);

  const body = () => {
    if (codes)
      return (
        <RecoveryCodesPanel
          codes={codes}
          login={login}
          onDone={() => {
            setCodes(null);
            enrolled();
          }}
        />
      );
    if (enrolment)
      return (
        <EnrolTotp
          enrolment={enrolment}
          onError={notifyError}
          onCancel={() => setEnrolment(null)}
          onConfirmed={(c) => {
            setEnrolment(null);
            setCodes(c);
            notification.success({ message: t('security.enabled') });
          }}
        />
      );
    if (on)
      return (
        <>
          {factors.data?.confirmed_at && <p>{t('security.enabledSince', { date: formatDateTime(factors.data.confirmed_at) })}</p>}
          <p>{t('security.codesLeft', { count: factors.data?.recovery_codes_left ?? 0 })}</p>
          <Space wrap>
            <Button onClick={() => setDialog('regenerate')}>{t('security.regenerate')}</Button>
            <Button danger disabled={last} onClick={() => setDialog('remove')}>
              {t('security.remove')}
            </Button>
          </Space>
          {last && <p style={{ marginBottom: 0, marginTop: 8 }}>{t('factorPolicy.lastFactor')}</p>}
        </>
      );
    return (
      <Button
        type="primary"
        loading={start.isPending}
        onClick={() => start.mutate(undefined, { onSuccess: setEnrolment, onError: (e) => notifyError(errorMessage(t, e)) })}
      >
        {t('security.setUp')}
      </Button>
    );
  };

  return (
    <>
      <PageHeader title={t('security.title')} />
      {factors.isError && <Alert type="error" showIcon message={t('security.loadFailed')} style={{ marginBottom: 16 }} />}
      <Card
        title={t('security.appTitle')}
        extra={
          factors.data && (
            <Tag color={on ? 'green' : 'default'} data-testid={TID.securityTotpStatus}>
              {on ? t('security.statusOn') : t('security.statusOff')}
            </Tag>
          )
        }
      >
        <p style={{ marginTop: 0 }}>{t('security.appIntro')}</p>
        {factors.isPending ? <Spin /> : body()}
      </Card>
      <PasskeysCard lastFactor={last} onAdded={enrolled} />
      <ProveDialog
        open={dialog === 'regenerate'}
        title={t('security.regenerate')}
        intro={t('security.regenerateIntro')}
        okText={t('security.regenerate')}
        allowPassword={false}
        onError={notifyError}
        onClose={() => setDialog(null)}
        onSubmit={async (v) => setCodes((await regenerate.mutateAsync(v.code ?? '')).recovery_codes)}
      />
      <ProveDialog
        open={dialog === 'remove'}
        title={t('security.remove')}
        intro={t('security.removeIntro')}
        okText={t('security.remove')}
        allowPassword
        danger
        onError={notifyError}
        onClose={() => setDialog(null)}
        onSubmit={async (v) => {
          await remove.mutateAsync(v);
          notification.success({ message: t('security.removed') });
        }}
      />
    </>
  );
}
