// The Parameters tab: the fields of the provider's type (none for local; kerberos
// has its settings on the server).
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import { TID } from '../../../testids';
import type { ProviderParams, ProviderType } from '../api/types';
import { LdapParams } from './LdapParams';
import { fieldsFor, type SecretValue } from './providerForm';
import { SecretField } from './SecretField';

interface ProviderParamsTabProps {
  /** The stored parameters (edit), for the *_set flags of the secrets. */
  stored?: ProviderParams;
  /** Remounts the secret fields after a save. */
  version: number;
}

export function ProviderParamsTab({ stored, version }: ProviderParamsTabProps) {
  const { t } = useTranslation();
  const type = Form.useWatch('type') as ProviderType | undefined;
  const kind = fieldsFor(type).params;
  if (kind === 'kerberos') return <Alert type="info" showIcon data-testid={TID.providerKerberosNote} message={t('providers.hints.kerberos')} />;
  if (kind === 'rest') return <ExternalUrl />;
  if (kind === 'ldap') return <LdapParams stored={stored} version={version} />;
  if (kind !== 'oidc') return null;
  const secretSet = !!stored?.client_secret_set;
  return (
    <>
      <Form.Item
        label={t('providers.fields.clientId')}
        name={['params', 'client_id']}
        extra={t('providers.hints.clientId')}
        rules={[{ required: true, whitespace: true, message: t('fieldErrors.required') }, { max: 255, message: t('fieldErrors.tooLong') }]}
      >
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item
        key={`secret-${version}`}
        label={t('providers.fields.clientSecret')}
        name={['params', 'client_secret']}
        required={!secretSet}
        extra={t('providers.hints.clientSecret')}
        rules={[
          {
            validator: (_r, v: SecretValue) =>
              secretSet || (typeof v === 'string' && v !== '') ? Promise.resolve() : Promise.reject(new Error(t('fieldErrors.required'))),
          },
        ]}
      >
        <SecretField isSet={secretSet} testId={TID.providerClientSecret} />
      </Form.Item>
      <ExternalUrl />
    </>
  );
}

function ExternalUrl() {
  const { t } = useTranslation();
  return (
    <Form.Item
      label={t('providers.fields.externalUrl')}
      name={['params', 'external_url']}
      extra={t('providers.hints.externalUrl')}
      rules={[
        { required: true, whitespace: true, message: t('fieldErrors.required') },
        { pattern: /^https?:\/\/[^\s/?#]+[^\s?#]*$/i, message: t('providers.errors.url') },
      ]}
    >
      <Input autoComplete="off" placeholder="https://id.example.com/realms/main" />
    </Form.Item>
  );
}
