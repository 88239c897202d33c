// A device type: name, vendor and model, its PIN areas with write-only default PINs, the PIN
// rules (length, characters) and the retry counts.
import { useTranslation } from 'react-i18next';
import Divider from 'antd/es/divider';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import InputNumber from 'antd/es/input-number';
import Select from 'antd/es/select';
import { EntityFormShell, useCrudFormPage } from '../../../components/EntityForm';
import { secretToRequest, type SecretChange } from '../../../components/WriteOnlySecret';
import { deviceTypes, PIN_CHARSETS, type DeviceType, type DeviceTypeInput, type DeviceTypePatch, type PinCharset } from '../api/catalogue';
import { PinAreasField } from '../components/PinAreasField';

interface AreaValues {
  code: string;
  name: string;
  has_default_admin_pin: boolean;
  has_default_user_pin: boolean;
  default_admin_pin?: SecretChange;
  default_user_pin?: SecretChange;
}

export interface DeviceTypeValues {
  name: string;
  vendor: string;
  model: string;
  description: string;
  pin_areas: AreaValues[];
  pin_rules: { min_length: number; max_length: number; charset: PinCharset };
  retry_counts: { admin: number; user: number };
}

const empty: DeviceTypeValues = {
  name: '',
  vendor: '',
  model: '',
  description: '',
  pin_areas: [{ code: 'pki', name: 'PKI', has_default_admin_pin: false, has_default_user_pin: false }],
  pin_rules: { min_length: 6, max_length: 32, charset: 'any' },
  retry_counts: { admin: 10, user: 10 },
};

const toValues = (d: DeviceType): DeviceTypeValues => ({
  name: d.name,
  vendor: d.vendor,
  model: d.model,
  description: d.description,
  pin_areas: d.pin_areas.map((a) => ({ ...a, default_admin_pin: undefined, default_user_pin: undefined })),
  pin_rules: { ...d.pin_rules },
  retry_counts: { ...d.retry_counts },
});

const toCreate = (v: DeviceTypeValues): DeviceTypeInput => ({
  name: v.name.trim(),
  vendor: v.vendor ?? '',
  model: v.model ?? '',
  description: v.description ?? '',
  pin_areas: (v.pin_areas ?? []).map((a) => ({
    code: a.code.trim(),
    name: a.name.trim(),
    default_admin_pin: secretToRequest(a.default_admin_pin),
    default_user_pin: secretToRequest(a.default_user_pin),
  })),
  pin_rules: v.pin_rules,
  retry_counts: v.retry_counts,
});

const toUpdate = (v: DeviceTypeValues, version: number): DeviceTypePatch => ({ version, ...toCreate(v) });

export function DeviceTypeFormPage() {
  const { t } = useTranslation();
  const page = useCrudFormPage({ resource: deviceTypes, listPath: '/device-types', writePermission: 'devices.write', toValues, toCreate, toUpdate });
  if (page.placeholder) return page.placeholder;
  const required = { required: true, whitespace: true, message: t('fieldErrors.required') };
  const main = (
    <>
      <Form.Item label={t('devices.types.name')} name="name" rules={[required, { max: 200, message: t('fieldErrors.tooLong') }]}>
        <Input autoComplete="off" maxLength={200} />
      </Form.Item>
      <div style={{ display: 'flex', gap: 12 }}>
        <Form.Item style={{ flex: 1 }} label={t('devices.types.vendor')} name="vendor">
          <Input autoComplete="off" maxLength={200} placeholder="Aktiv" />
        </Form.Item>
        <Form.Item style={{ flex: 1 }} label={t('devices.types.model')} name="model">
          <Input autoComplete="off" maxLength={200} placeholder="Rutoken ECP 3.0" />
        </Form.Item>
      </div>
      <Form.Item label={t('devices.types.description')} name="description">
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
      <Divider orientation="left">{t('devices.types.pinAreas')}</Divider>
      <PinAreasField />
      <Divider orientation="left">{t('devices.types.pinRules')}</Divider>
      <div style={{ display: 'flex', gap: 12 }}>
        <Form.Item label={t('devices.types.minLength')} name={['pin_rules', 'min_length']} rules={[{ required: true, message: t('fieldErrors.required') }]}>
          <InputNumber min={4} max={64} />
        </Form.Item>
        <Form.Item label={t('devices.types.maxLength')} name={['pin_rules', 'max_length']} rules={[{ required: true, message: t('fieldErrors.required') }]}>
          <InputNumber min={4} max={64} />
        </Form.Item>
        <Form.Item style={{ minWidth: 200 }} label={t('devices.types.charset')} name={['pin_rules', 'charset']}>
          <Select options={PIN_CHARSETS.map((c) => ({ value: c, label: t(`devices.types.charsets.${c}`) }))} />
        </Form.Item>
      </div>
      <Divider orientation="left">{t('devices.types.retryCounts')}</Divider>
      <div style={{ display: 'flex', gap: 12 }}>
        <Form.Item label={t('devices.types.adminRetries')} name={['retry_counts', 'admin']} rules={[{ required: true, message: t('fieldErrors.required') }]}>
          <InputNumber min={1} max={100} />
        </Form.Item>
        <Form.Item label={t('devices.types.userRetries')} name={['retry_counts', 'user']} rules={[{ required: true, message: t('fieldErrors.required') }]}>
          <InputNumber min={1} max={100} />
        </Form.Item>
      </div>
    </>
  );
  return (
    <EntityFormShell
      page={page}
      title={page.entity ? t('devices.types.editTitle', { name: page.entity.name }) : t('devices.types.newTitle')}
      initialValues={empty}
      main={main}
      resourceType="device_type"
      maxWidth={760}
      deleteConfirmText={t('devices.types.deleteConfirm', { name: page.entity?.name ?? '' })}
    />
  );
}
