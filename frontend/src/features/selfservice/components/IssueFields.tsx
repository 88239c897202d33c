// The fields of «Выпустить устройство»: device type, the device on this computer, the
// certificates, the wipe warning, SKZI accounting, the SMEV form and «Дополнительно» (PINs).
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import Alert from 'antd/es/alert';
import Checkbox from 'antd/es/checkbox';
import Collapse from 'antd/es/collapse';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import { FormSelect } from '../../../components/FormSelect';
import Typography from 'antd/es/typography';
import type { AgentToken } from '../../../lib/agent';
import { TID, issueAdminPinTestId, issueAreaTokenTestId, issueUserPinTestId } from '../../../testids';
import type { IssuanceOptions, OptionDeviceType, SMEVForm } from '../api/types';

export const SMEV_FIELDS = ['last_name', 'first_name', 'middle_name', 'birth_date', 'snils', 'inn', 'passport_series', 'passport_number', 'email'] as const;

export function tokenName(tk: AgentToken): string {
  return [[tk.manufacturer, tk.model].filter(Boolean).join(' '), tk.serial || tk.ref, tk.label].filter(Boolean).join(' · ');
}

/**
 * TokenSelect chooses the device (from the agent) to write to. A type with several PIN areas
 * (JaCarta's PKI and ГОСТ applets, each a slot of its own) asks for the slot of each: the
 * first area's gets the key pairs and certificates, the others their PINs.
 */
export function TokenSelect({ tokens, areas = [] }: { tokens: AgentToken[]; areas?: { code: string; name: string }[] }) {
  const { t } = useTranslation();
  if (tokens.length === 0) return <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('selfService.issue.tokenNone')} />;
  const options = tokens.map((tk) => ({ value: tk.ref, label: tokenName(tk) }));
  const [first, ...rest] = areas;
  return (
    <>
      <Form.Item name="token_ref" label={rest.length && first ? t('selfService.issue.tokenOfArea', { area: first.name }) : t('selfService.issue.token')}
        rules={[{ required: true, message: t('selfService.steps.noToken') }]}>
        <FormSelect data-testid={TID.issueToken} options={options} />
      </Form.Item>
      {rest.map((a) => (
        <Form.Item key={a.code} name={['area_tokens', a.code]} label={t('selfService.issue.tokenOfArea', { area: a.name })} dependencies={['token_ref']}
          rules={[
            { required: true, message: t('selfService.steps.noToken') },
            ({ getFieldValue }) => ({
              validator: (_, v) => (v && v === getFieldValue('token_ref') ? Promise.reject(new Error(t('selfService.issue.areaSameSlot'))) : Promise.resolve()),
            }),
          ]}>
          <FormSelect data-testid={issueAreaTokenTestId(a.code)} options={options} />
        </Form.Item>
      ))}
    </>
  );
}

/**
 * PinFields: «Дополнительно» — the admin PIN and the user PIN per PIN area, empty = the type's
 * defaults. Seed 001 asks the admin PIN only of a device not registered yet: a registered
 * (issued or blocked) device is never written by a self-service issuance (the server refuses
 * its serial, and a person holding one issues no other), so the field is always here.
 */
export function PinFields({ type, randomLength }: { type?: OptionDeviceType; randomLength?: number }) {
  const { t } = useTranslation();
  const areas = type?.pin_areas?.length ? type.pin_areas : [{ code: 'main', name: 'PIN', has_default_admin_pin: false, has_default_user_pin: false }];
  const children = (
    <>
      {randomLength ? <Typography.Paragraph type="secondary">{t('selfService.issue.randomPin', { length: randomLength })}</Typography.Paragraph> : null}
      {areas.map((a) => (
        <div key={a.code} style={{ display: 'flex', gap: 16, flexWrap: 'wrap' }}>
          <Form.Item name={['admin_pins', a.code]} label={t('selfService.issue.adminPin', { area: a.name })} extra={t('selfService.issue.pinEmpty')} style={{ minWidth: 240 }}>
            <Input.Password autoComplete="off" data-testid={issueAdminPinTestId(a.code)} />
          </Form.Item>
          {!randomLength && (
            <Form.Item name={['user_pins', a.code]} label={t('selfService.issue.userPin', { area: a.name })} extra={t('selfService.issue.pinEmpty')} style={{ minWidth: 240 }}>
              <Input.Password autoComplete="off" data-testid={issueUserPinTestId(a.code)} />
            </Form.Item>
          )}
        </div>
      ))}
    </>
  );
  return (
    <Collapse
      data-testid={TID.issueAdvanced}
      style={{ marginBottom: 16 }}
      items={[{ key: 'advanced', label: t('selfService.issue.advanced'), children, forceRender: true }]}
    />
  );
}

/** SmevFields: the SMEV check form, prefilled; prefilled fields are read-only unless the policy allows. */
export function SmevFields({ smev }: { smev: SMEVForm }) {
  const { t } = useTranslation();
  const editable = new Set(smev.editable_fields);
  const required = new Set(smev.required_fields);
  return (
    <fieldset data-testid={TID.issueSmev} style={{ border: 0, padding: 0, margin: 0 }}>
      <Typography.Title level={5}>{t('selfService.issue.smev')}</Typography.Title>
      <Typography.Paragraph type="secondary">
        {t('selfService.issue.smevIntro')} {!smev.editable && t('selfService.issue.smevReadOnly')}
      </Typography.Paragraph>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(200px, 1fr))', columnGap: 16 }}>
        {SMEV_FIELDS.map((f) => (
          <Form.Item key={f} name={['smev', f]} label={t(`smevFields.${f}`)} rules={required.has(f) ? [{ required: true, whitespace: true }] : []}>
            <Input disabled={!editable.has(f)} type={f === 'birth_date' ? 'date' : 'text'} />
          </Form.Item>
        ))}
      </div>
    </fieldset>
  );
}

/** SkziFields: the document the SKZI accounting requires (number and a date not in the future). */
export function SkziFields() {
  const { t } = useTranslation();
  return (
    <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap' }}>
      <Form.Item name="skzi_number" label={t('selfService.issue.skziNumber')} rules={[{ required: true, whitespace: true }]} style={{ minWidth: 260 }}>
        <Input data-testid={TID.issueSkziNumber} />
      </Form.Item>
      <Form.Item
        name="skzi_date"
        label={t('selfService.issue.skziDate')}
        rules={[
          { required: true },
          { validator: (_, v: string) => (v && dayjs(v).isAfter(dayjs(), 'day') ? Promise.reject(new Error(t('selfService.issue.skziFuture'))) : Promise.resolve()) },
        ]}
      >
        <Input type="date" data-testid={TID.issueSkziDate} max={dayjs().format('YYYY-MM-DD')} />
      </Form.Item>
    </div>
  );
}

/** TemplateFields: the certificates, chosen when the policy lets the user choose, else listed. */
export function TemplateFields({ options }: { options: IssuanceOptions }) {
  const { t } = useTranslation();
  const choose = !!options.policy?.user_may_choose_templates;
  if (!choose) {
    return (
      <div data-testid={TID.issueTemplates} style={{ marginBottom: 16 }}>
        <Typography.Text strong>{t('selfService.issue.templatesFixed')}</Typography.Text>
        <ul>{options.templates.map((tp) => <li key={tp.id}>{tp.name}</li>)}</ul>
      </div>
    );
  }
  return (
    // A validator, not `required`: antd would put aria-required on the group's <div>, where ARIA does not allow it.
    <Form.Item
      name="template_ids"
      label={t('selfService.issue.templates')}
      rules={[{ validator: (_, v?: string[]) => (v && v.length > 0 ? Promise.resolve() : Promise.reject(new Error(t('fieldErrors.required')))) }]}
    >
      <Checkbox.Group data-testid={TID.issueTemplates} options={options.templates.map((tp) => ({ value: tp.id, label: tp.name }))} />
    </Form.Item>
  );
}
