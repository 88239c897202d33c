// The LDAP parameters. The port follows the connection type (389 / 636) and the
// username attribute follows the server type (sAMAccountName / uid) while they hold
// the old default; changing the host or the bind login drops the stored password.
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import InputNumber from 'antd/es/input-number';
import Radio from 'antd/es/radio';
import Select from 'antd/es/select';
import { TID } from '../../../testids';
import type { ProviderParams } from '../api/types';
import { nextPort, nextUserAttr, type Connection, type ServerType } from './providerForm';
import { SecretField } from './SecretField';

// A light client check; the server validates the filter fully (RFC 4515).
const looksLikeFilter = (v: string) => {
  let depth = 0;
  for (const ch of v) {
    depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
    if (depth < 0) return false;
  }
  return v.startsWith('(') && v.endsWith(')') && depth === 0;
};

export function LdapParams({ stored, version }: { stored?: ProviderParams; version: number }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const connection = Form.useWatch(['params', 'connection']) as Connection | undefined;
  const host = Form.useWatch(['params', 'host']) as string | undefined;
  const bindDn = Form.useWatch(['params', 'bind_dn']) as string | undefined;
  const serverType = Form.useWatch(['params', 'server_type']) as ServerType | undefined;
  const password = Form.useWatch(['params', 'bind_password']) as string | null | undefined;
  const required = { required: true, whitespace: true, message: t('fieldErrors.required') };
  const pwSet = !!stored?.bind_password_set;
  const pwDropped =
    pwSet && password === undefined && ((host ?? '') !== (stored?.host ?? '') || (bindDn ?? '') !== (stored?.bind_dn ?? ''));

  // Form.Item has stored the new value by the time these run; the watched values are the old ones.
  const onConnection = (next: Connection) => {
    const prev = connection ?? 'plain';
    form.setFieldValue(['params', 'port'], nextPort(prev, next, form.getFieldValue(['params', 'port']) as number | null));
  };
  const onServerType = (next: ServerType) => {
    const prev = serverType ?? 'ad';
    form.setFieldValue(['params', 'username_attribute'], nextUserAttr(prev, next, form.getFieldValue(['params', 'username_attribute']) as string));
  };

  return (
    <>
      <Form.Item label={t('providers.fields.host')} name={['params', 'host']} rules={[required]} extra={t('providers.hints.host')}>
        <Input autoComplete="off" placeholder="ldap.example.com" />
      </Form.Item>
      <Form.Item
        label={t('providers.fields.port')}
        name={['params', 'port']}
        extra={t('providers.hints.port')}
        rules={[{ required: true, message: t('fieldErrors.required') }, { type: 'integer', min: 1, max: 65535, message: t('fieldErrors.outOfRange') }]}
      >
        <InputNumber min={1} max={65535} precision={0} style={{ width: 160 }} />
      </Form.Item>
      <Form.Item label={t('providers.fields.bindDn')} name={['params', 'bind_dn']} extra={t('providers.hints.bindDn')}>
        <Input autoComplete="off" placeholder="cn=reader,dc=example,dc=com" />
      </Form.Item>
      <Form.Item key={`pw-${version}`} label={t('providers.fields.bindPassword')} name={['params', 'bind_password']} extra={t('providers.hints.bindPassword')}>
        <SecretField isSet={pwSet} removable testId={TID.providerBindPassword} />
      </Form.Item>
      {pwDropped && <Alert type="warning" showIcon style={{ marginTop: -8, marginBottom: 16 }} message={t('providers.hints.bindPasswordDropped')} />}
      <Form.Item label={t('providers.fields.connection')} name={['params', 'connection']} extra={t('providers.hints.connection')}>
        <Radio.Group
          data-testid={TID.providerConnection}
          optionType="button"
          onChange={(e) => onConnection(e.target.value as Connection)}
          options={(['plain', 'ssl', 'starttls'] as const).map((c) => ({ value: c, label: t(`providers.connections.${c}`) }))}
        />
      </Form.Item>
      <Form.Item label={t('providers.fields.serverType')} name={['params', 'server_type']}>
        <Select
          data-testid={TID.providerServerType}
          style={{ maxWidth: 280 }}
          onChange={(v: ServerType) => onServerType(v)}
          options={(['ad', 'openldap'] as const).map((s) => ({ value: s, label: t(`providers.serverTypes.${s}`) }))}
        />
      </Form.Item>
      <Form.Item label={t('providers.fields.baseDn')} name={['params', 'base_dn']} rules={[required]} extra={t('providers.hints.baseDn')}>
        <Input autoComplete="off" placeholder="ou=users,dc=example,dc=com" />
      </Form.Item>
      <Form.Item
        label={t('providers.fields.filter')}
        name={['params', 'filter']}
        extra={t('providers.hints.filter')}
        rules={[{ validator: (_r, v?: string) => (!v?.trim() || looksLikeFilter(v.trim()) ? Promise.resolve() : Promise.reject(new Error(t('fieldErrors.invalidLdapFilter')))) }]}
      >
        <Input autoComplete="off" placeholder="(objectClass=person)" />
      </Form.Item>
      <Form.Item label={t('providers.fields.usernameAttribute')} name={['params', 'username_attribute']} rules={[required]} extra={t('providers.hints.usernameAttribute')}>
        <Input autoComplete="off" />
      </Form.Item>
      {connection && connection !== 'plain' && (
        <Form.Item label={t('providers.fields.caCert')} name={['params', 'ca_cert']} extra={t('providers.hints.caCert')}>
          <Input.TextArea rows={4} placeholder="-----BEGIN CERTIFICATE-----" style={{ fontFamily: 'monospace' }} />
        </Form.Item>
      )}
    </>
  );
}
