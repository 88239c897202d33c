// "Create new token": name, scopes grouped with descriptions, expiry presets. On success
// the whole token goes to onCreated (and from there to the one-time reveal dialog only).
import { useTranslation } from 'react-i18next';
import App from 'antd/es/app';
import DatePicker from 'antd/es/date-picker';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import Modal from 'antd/es/modal';
import Radio from 'antd/es/radio';
import type { Dayjs } from 'dayjs';
import { isApiError } from '../../../api/http';
import { applyFieldErrors, errorMessage } from '../../../lib/errors';
import { TID } from '../../../testids';
import { useCreateToken, type TokenResource } from '../api/tokens';
import type { CreatedApiToken } from '../api/types';
import { ScopesField } from './ScopesField';
import { DEFAULT_EXPIRY, EXPIRY_PRESETS, beforeTomorrow, expiresAt, type ExpiryPreset } from './expiry';

interface Values {
  name: string;
  scopes: string[];
  expiry: ExpiryPreset;
  expires_at?: Dayjs | null;
}

interface CreateTokenDialogProps {
  res: TokenResource;
  held: ReadonlySet<string>;
  open: boolean;
  onClose: () => void;
  onCreated: (t: CreatedApiToken) => void;
}

export function CreateTokenDialog({ res, held, open, onClose, onCreated }: CreateTokenDialogProps) {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const [form] = Form.useForm<Values>();
  const create = useCreateToken(res);
  const preset = Form.useWatch('expiry', form);

  const submit = async (v: Values) => {
    try {
      const created = await create.mutateAsync({ name: v.name, scopes: v.scopes, expires_at: expiresAt(v.expiry, v.expires_at) });
      form.resetFields();
      onCreated(created);
    } catch (e) {
      const unplaced = applyFieldErrors(t, form, e);
      if (!(isApiError(e) && e.errors.length > unplaced.length)) notification.error({ message: errorMessage(t, e) });
    }
  };

  return (
    <Modal
      open={open}
      title={t('tokens.createTitle')}
      okText={t('tokens.create')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      width={640}
      wrapProps={{ 'data-testid': TID.tokenCreateDialog }}
    >
      <Form<Values> form={form} layout="vertical" onFinish={submit} preserve={false} initialValues={{ scopes: [], expiry: DEFAULT_EXPIRY }}>
        <Form.Item label={t('tokens.name')} name="name" extra={t('tokens.nameHint')} rules={[{ required: true, whitespace: true, message: t('fieldErrors.required') }, { max: 200, message: t('fieldErrors.tooLong') }]}>
          <Input autoFocus maxLength={200} />
        </Form.Item>
        <Form.Item label={t('tokens.scopes')} name="scopes" rules={[{ required: true, type: 'array', min: 1, message: t('tokens.scopesRequired') }]}>
          <ScopesField kind={res.kind} held={held} />
        </Form.Item>
        <Form.Item label={t('tokens.expiry')} name="expiry">
          <Radio.Group
            data-testid={TID.tokenExpiry}
            optionType="button"
            options={EXPIRY_PRESETS.map((p) => ({ value: p, label: t(`tokens.expiryPresets.${p}`) }))}
          />
        </Form.Item>
        {preset === 'custom' && (
          <Form.Item label={t('tokens.expiresAt')} name="expires_at" rules={[{ required: true, message: t('fieldErrors.required') }]}>
            <DatePicker disabledDate={beforeTomorrow} aria-label={t('tokens.expiresAt')} />
          </Form.Item>
        )}
        {preset === 'none' && <p style={{ color: '#ad6800', margin: 0 }}>{t('tokens.noExpiryWarning')}</p>}
      </Form>
    </Modal>
  );
}
