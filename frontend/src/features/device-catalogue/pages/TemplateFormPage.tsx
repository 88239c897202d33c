// A certificate template: key algorithm, validity, the subject as ordered RDN rows with
// placeholders (and its preview for a user), key usages, extended key usages, qualified.
import { useTranslation } from 'react-i18next';
import Checkbox from 'antd/es/checkbox';
import Divider from 'antd/es/divider';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import InputNumber from 'antd/es/input-number';
import Select from 'antd/es/select';
import Switch from 'antd/es/switch';
import { EntityFormShell, useCrudFormPage } from '../../../components/EntityForm';
import { TID } from '../../../testids';
import {
  EXT_KEY_USAGES,
  KEY_ALGORITHMS,
  KEY_USAGES,
  templates,
  type CertificateTemplate,
  type KeyAlgorithm,
  type SubjectRDN,
  type TemplateInput,
  type TemplatePatch,
} from '../api/catalogue';
import { SubjectEditor } from '../components/SubjectEditor';
import { TemplatePreview } from '../components/TemplatePreview';

interface Values {
  name: string;
  description: string;
  key_algorithm: KeyAlgorithm;
  validity_days: number;
  subject: SubjectRDN[];
  key_usages: string[];
  extended_key_usages: string[];
  qualified: boolean;
}

const empty: Values = {
  name: '',
  description: '',
  key_algorithm: 'ecdsa-p256',
  validity_days: 365,
  subject: [
    { attr: 'CN', value: '{{display_name}}' },
    { attr: 'E', value: '{{email}}' },
  ],
  key_usages: ['digitalSignature'],
  extended_key_usages: ['clientAuth'],
  qualified: false,
};

const toValues = (c: CertificateTemplate): Values => ({
  name: c.name,
  description: c.description,
  key_algorithm: c.key_algorithm,
  validity_days: c.validity_days,
  subject: c.subject.map((r) => ({ ...r })),
  key_usages: c.key_usages,
  extended_key_usages: c.extended_key_usages,
  qualified: c.qualified,
});

const toCreate = (v: Values): TemplateInput => ({
  name: v.name.trim(),
  description: v.description ?? '',
  key_algorithm: v.key_algorithm,
  validity_days: v.validity_days,
  subject: (v.subject ?? []).filter((r) => r?.attr).map((r) => ({ attr: r.attr, value: r.value ?? '' })),
  key_usages: v.key_usages ?? [],
  extended_key_usages: v.extended_key_usages ?? [],
  qualified: !!v.qualified,
});

const toUpdate = (v: Values, version: number): TemplatePatch => ({ version, ...toCreate(v) });

export function TemplateFormPage() {
  const { t } = useTranslation();
  const page = useCrudFormPage({ resource: templates, listPath: '/certificate-templates', writePermission: 'devices.write', toValues, toCreate, toUpdate });
  if (page.placeholder) return page.placeholder;
  const required = { required: true, whitespace: true, message: t('fieldErrors.required') };
  const main = (
    <>
      <Form.Item label={t('devices.templates.name')} name="name" rules={[required, { max: 200, message: t('fieldErrors.tooLong') }]}>
        <Input autoComplete="off" maxLength={200} />
      </Form.Item>
      <Form.Item label={t('devices.templates.description')} name="description">
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
      <div style={{ display: 'flex', gap: 12 }}>
        <Form.Item style={{ minWidth: 200 }} label={t('devices.templates.keyAlgorithm')} name="key_algorithm">
          <Select options={KEY_ALGORITHMS.map((a) => ({ value: a, label: t(`devices.templates.algorithms.${a}`) }))} />
        </Form.Item>
        <Form.Item label={t('devices.templates.validityDays')} name="validity_days" rules={[{ required: true, message: t('fieldErrors.required') }]}>
          <InputNumber min={1} max={3650} />
        </Form.Item>
      </div>
      <Divider orientation="left">{t('devices.templates.subject')}</Divider>
      <SubjectEditor />
      <TemplatePreview />
      <Divider orientation="left">{t('devices.templates.usages')}</Divider>
      {/* A validator, not `required`: antd would put aria-required on the group's <div>, where ARIA does not allow it. */}
      <Form.Item
        label={t('devices.templates.keyUsages')}
        name="key_usages"
        rules={[{ validator: (_, v?: string[]) => (v && v.length > 0 ? Promise.resolve() : Promise.reject(new Error(t('fieldErrors.required')))) }]}
      >
        <Checkbox.Group data-testid={TID.templateKeyUsages} options={KEY_USAGES.map((u) => ({ value: u, label: t(`devices.templates.ku.${u}`) }))} />
      </Form.Item>
      <Form.Item label={t('devices.templates.extKeyUsages')} name="extended_key_usages">
        <Checkbox.Group data-testid={TID.templateExtKeyUsages} options={EXT_KEY_USAGES.map((u) => ({ value: u, label: t(`devices.templates.eku.${u}`) }))} />
      </Form.Item>
      <Form.Item label={t('devices.templates.qualified')} name="qualified" valuePropName="checked" extra={t('devices.templates.qualifiedHint')}>
        <Switch />
      </Form.Item>
    </>
  );
  return (
    <EntityFormShell
      page={page}
      title={page.entity ? t('devices.templates.editTitle', { name: page.entity.name }) : t('devices.templates.newTitle')}
      initialValues={empty}
      main={main}
      resourceType="certificate_template"
      maxWidth={820}
      deleteConfirmText={t('devices.templates.deleteConfirm', { name: page.entity?.name ?? '' })}
    />
  );
}
