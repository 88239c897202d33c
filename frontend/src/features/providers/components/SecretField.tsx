// A write-only secret (client secret, bind password) as a form control. The server
// never returns a secret, only whether one is stored: a stored secret shows as "set"
// with Replace (and, where allowed, Remove); otherwise a password input.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Button from 'antd/es/button';
import Input from 'antd/es/input';
import Space from 'antd/es/space';
import Tag from 'antd/es/tag';
import { CheckCircleOutlined } from '@ant-design/icons';
import type { SecretValue } from './providerForm';

interface SecretFieldProps {
  id?: string;
  value?: SecretValue;
  onChange?: (v: SecretValue) => void;
  /** A secret is stored on the server. */
  isSet: boolean;
  /** The stored secret may be removed (an anonymous LDAP bind). */
  removable?: boolean;
  testId: string;
  'aria-invalid'?: boolean;
}

export function SecretField({ id, value, onChange, isSet, removable, testId, ...rest }: SecretFieldProps) {
  const { t } = useTranslation();
  const [replacing, setReplacing] = useState(false);
  const input = (
    <Input.Password
      id={id}
      data-testid={testId}
      autoComplete="new-password"
      value={typeof value === 'string' ? value : ''}
      aria-invalid={rest['aria-invalid']}
      placeholder={isSet ? t('providers.secret.newValue') : undefined}
      onChange={(e) => onChange?.(e.target.value)}
    />
  );
  if (!isSet) return input;
  if (value === null) {
    return (
      <Space>
        <Tag color="orange" data-testid={`${testId}-state`}>{t('providers.secret.willBeRemoved')}</Tag>
        <Button size="small" type="link" onClick={() => onChange?.(undefined)}>
          {t('providers.secret.undo')}
        </Button>
      </Space>
    );
  }
  if (replacing) {
    return (
      <Space.Compact style={{ width: '100%' }}>
        {input}
        <Button
          onClick={() => {
            setReplacing(false);
            onChange?.(undefined);
          }}
        >
          {t('providers.secret.keep')}
        </Button>
      </Space.Compact>
    );
  }
  return (
    <Space>
      <Tag icon={<CheckCircleOutlined />} color="green" data-testid={`${testId}-state`}>
        {t('providers.secret.set')}
      </Tag>
      <Button size="small" onClick={() => setReplacing(true)}>
        {t('providers.secret.replace')}
      </Button>
      {removable && (
        <Button size="small" danger type="link" onClick={() => onChange?.(null)}>
          {t('providers.secret.remove')}
        </Button>
      )}
    </Space>
  );
}
