// A write-only secret (a default PIN, the SMTP password) as a form control. The server never
// answers the value, only whether one is stored: the control shows "set" / "not set", an
// empty input keeps what is stored, a typed value replaces it and Remove (when something is
// stored) asks to delete it. Value: undefined = keep, a string = replace, null = remove.
import { useTranslation } from 'react-i18next';
import Button from 'antd/es/button';
import Input from 'antd/es/input';
import Space from 'antd/es/space';
import Tag from 'antd/es/tag';

export type SecretChange = string | null | undefined;

interface WriteOnlySecretProps {
  id?: string;
  value?: SecretChange;
  onChange?: (v: SecretChange) => void;
  /** A value is stored on the server. */
  isSet: boolean;
  testId?: string;
  /** The accessible name of the input (when no Form.Item label names it). */
  ariaLabel?: string;
  disabled?: boolean;
  'aria-invalid'?: boolean;
}

/** secretToRequest turns the control's value into the API's: absent keeps, "" removes. */
export function secretToRequest(v: SecretChange): string | undefined {
  if (v === null) return '';
  return v ? v : undefined;
}

export function WriteOnlySecret({ id, value, onChange, isSet, testId, ariaLabel, disabled, ...rest }: WriteOnlySecretProps) {
  const { t } = useTranslation();
  if (value === null) {
    return (
      <Space>
        <Tag color="orange" data-testid={testId ? `${testId}-state` : undefined}>{t('secret.willBeRemoved')}</Tag>
        <Button size="small" type="link" disabled={disabled} onClick={() => onChange?.(undefined)}>
          {t('secret.undo')}
        </Button>
      </Space>
    );
  }
  return (
    <Space.Compact style={{ width: '100%' }}>
      <Input.Password
        id={id}
        data-testid={testId}
        aria-label={ariaLabel}
        aria-invalid={rest['aria-invalid']}
        autoComplete="new-password"
        disabled={disabled}
        value={value ?? ''}
        placeholder={isSet ? t('secret.keepPlaceholder') : t('secret.notSet')}
        onChange={(e) => onChange?.(e.target.value === '' ? undefined : e.target.value)}
        addonBefore={
          <span data-testid={testId ? `${testId}-state` : undefined}>{isSet ? t('secret.set') : t('secret.notSet')}</span>
        }
      />
      {isSet && (
        <Button danger disabled={disabled} onClick={() => onChange?.(null)}>
          {t('secret.remove')}
        </Button>
      )}
    </Space.Compact>
  );
}
