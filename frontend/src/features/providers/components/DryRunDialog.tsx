// The mapping dry run: paste sample claims (or an ID token; for LDAP, a login to look
// up) and see the user the saved provider would make. Nothing is saved.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Input from 'antd/es/input';
import Modal from 'antd/es/modal';
import Radio from 'antd/es/radio';
import Typography from 'antd/es/typography';
import { ExperimentOutlined } from '@ant-design/icons';
import { errorMessage } from '../../../lib/errors';
import { TID } from '../../../testids';
import { useDryRun } from '../api/providers';
import type { DryRunInput, ProviderType } from '../api/types';
import { DryRunResultView } from './DryRunResultView';

type Mode = 'claims' | 'token' | 'login';

/** parseSample turns the dialog's input into the request, or names what is wrong with it. */
export function parseSample(mode: Mode, text: string): { body?: DryRunInput; error?: 'empty' | 'json' | 'object' } {
  const v = text.trim();
  if (!v) return { error: 'empty' };
  if (mode === 'token') return { body: { token: v } };
  if (mode === 'login') return { body: { login: v } };
  try {
    const parsed: unknown = JSON.parse(v);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { error: 'object' };
    return { body: { claims: parsed as Record<string, unknown> } };
  } catch {
    return { error: 'json' };
  }
}

const SAMPLE = '{\n  "preferred_username": "alice",\n  "email": "alice@example.com",\n  "resource_access": { "custos": { "roles": ["operators"] } }\n}';

export function DryRunButton({ providerId, type }: { providerId: string; type: ProviderType }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [mode, setMode] = useState<Mode>(type === 'ldap' ? 'login' : 'claims');
  const [text, setText] = useState('');
  const [inputError, setInputError] = useState<string | null>(null);
  const run = useDryRun();
  const modes: Mode[] = type === 'ldap' ? ['login', 'claims'] : ['claims', 'token'];

  const submit = () => {
    const { body, error } = parseSample(mode, text);
    setInputError(error ? t(`providers.dryRun.inputErrors.${error}`) : null);
    if (body) run.mutate({ id: providerId, body });
  };

  return (
    <>
      <Button icon={<ExperimentOutlined />} onClick={() => setOpen(true)} data-testid={TID.providerDryRun}>
        {t('providers.dryRun.button')}
      </Button>
      <Modal
        open={open}
        width={760}
        title={t('providers.dryRun.title')}
        onCancel={() => setOpen(false)}
        footer={[
          <Button key="close" onClick={() => setOpen(false)}>
            {t('providers.close')}
          </Button>,
          <Button key="run" type="primary" loading={run.isPending} onClick={submit} data-testid={TID.providerDryRunSubmit}>
            {t('providers.dryRun.run')}
          </Button>,
        ]}
        wrapProps={{ 'data-testid': TID.providerDryRunDialog }}
      >
        <Typography.Paragraph type="secondary">{t('providers.dryRun.hint')}</Typography.Paragraph>
        <Radio.Group
          optionType="button"
          value={mode}
          onChange={(e) => {
            setMode(e.target.value as Mode);
            run.reset();
          }}
          options={modes.map((m) => ({ value: m, label: t(`providers.dryRun.modes.${m}`) }))}
          style={{ marginBottom: 12 }}
        />
        {mode === 'login' ? (
          <Input aria-label={t('providers.dryRun.modes.login')} value={text} onChange={(e) => setText(e.target.value)} onPressEnter={submit} />
        ) : (
          <Input.TextArea
            aria-label={t(`providers.dryRun.modes.${mode}`)}
            rows={6}
            style={{ fontFamily: 'monospace' }}
            placeholder={mode === 'claims' ? SAMPLE : 'eyJhbGciOi…'}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        )}
        {inputError && <Alert type="error" showIcon style={{ marginTop: 12 }} message={inputError} />}
        {run.isError && <Alert type="error" showIcon style={{ marginTop: 12 }} message={errorMessage(t, run.error)} />}
        {run.data && !run.isPending && <DryRunResultView result={run.data} />}
      </Modal>
    </>
  );
}
