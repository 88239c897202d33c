// Setting up an authenticator app: the QR code and the key as text, then the first code.
import { useTranslation } from 'react-i18next';
import Button from 'antd/es/button';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import Space from 'antd/es/space';
import Typography from 'antd/es/typography';
import { placeOrNotify } from '../../../lib/errors';
import { TID } from '../../../testids';
import { useConfirmTotp, type TOTPEnrolment } from '../api/factors';

interface EnrolTotpProps {
  enrolment: TOTPEnrolment;
  onConfirmed: (codes: string[]) => void;
  onCancel: () => void;
  onError: (message: string) => void;
}

/** groups writes the base32 key in groups of four, as apps show it. */
function groups(key: string): string {
  return key.replace(/(.{4})/g, '$1 ').trim();
}

export function EnrolTotp({ enrolment, onConfirmed, onCancel, onError }: EnrolTotpProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ code: string }>();
  const confirm = useConfirmTotp();
  const submit = async ({ code }: { code: string }) => {
    try {
      const r = await confirm.mutateAsync(code.replace(/\s/g, ''));
      onConfirmed(r.recovery_codes);
    } catch (e) {
      placeOrNotify(t, form, e, onError);
    }
  };
  return (
    <div>
      <p>{t('security.scan')}</p>
      <Space align="start" wrap size="large">
        <img src={enrolment.qr_png} width={200} height={200} alt="otpauth QR" data-testid={TID.securityTotpQr} />
        <div>
          <Typography.Text type="secondary">{t('security.keyLabel')}</Typography.Text>
          <div>
            <Typography.Text code copyable={{ text: enrolment.secret }} style={{ fontSize: 16 }} data-testid={TID.securityTotpSecret}>
              {groups(enrolment.secret)}
            </Typography.Text>
          </div>
          <p style={{ marginTop: 16 }}>{t('security.confirmIntro')}</p>
          <Form form={form} layout="inline" onFinish={submit} disabled={confirm.isPending} requiredMark={false}>
            <Form.Item name="code" label={t('security.code')} rules={[{ required: true, whitespace: true, message: t('fieldErrors.required') }]}>
              <Input autoComplete="one-time-code" inputMode="numeric" maxLength={8} style={{ width: 120 }} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={confirm.isPending}>
              {t('security.confirm')}
            </Button>
            <Button onClick={onCancel} style={{ marginLeft: 8 }}>
              {t('security.cancel')}
            </Button>
          </Form>
        </div>
      </Space>
    </div>
  );
}
