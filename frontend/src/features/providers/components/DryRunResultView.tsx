// The user a dry run would make: login, email, name, groups, roles, mapped and extra attributes.
import { useTranslation } from 'react-i18next';
import Descriptions from 'antd/es/descriptions';
import Tag from 'antd/es/tag';
import Typography from 'antd/es/typography';
import { TID } from '../../../testids';
import type { DryRunResult } from '../api/types';
import { StepList } from './TestConnection';

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

function AttrList({ attrs }: { attrs?: Record<string, unknown> }) {
  const { t } = useTranslation();
  const entries = Object.entries(attrs ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <Typography.Text type="secondary">{t('providers.dryRun.none')}</Typography.Text>;
  return (
    <div>
      {entries.map(([k, v]) => (
        <div key={k}>
          <Typography.Text code>{k}</Typography.Text> = <Typography.Text>{show(v)}</Typography.Text>
        </div>
      ))}
    </div>
  );
}

export function DryRunResultView({ result }: { result: DryRunResult }) {
  const { t } = useTranslation();
  const dash = (v?: string) => v || '—';
  return (
    <div data-testid={TID.providerDryRunResult} style={{ marginTop: 16 }}>
      {result.steps && result.steps.length > 0 && <StepList steps={result.steps} />}
      <Descriptions size="small" bordered column={1} style={{ marginTop: 12 }}>
        <Descriptions.Item label={t('providers.dryRun.login')}>{dash(result.login)}</Descriptions.Item>
        <Descriptions.Item label={t('providers.dryRun.email')}>{dash(result.email)}</Descriptions.Item>
        <Descriptions.Item label={t('providers.dryRun.displayName')}>{dash(result.display_name)}</Descriptions.Item>
        <Descriptions.Item label={t('providers.dryRun.groups')}>
          {(result.groups ?? []).length === 0 ? '—' : (result.groups ?? []).map((g) => <Tag key={g.id}>{g.name || g.code}</Tag>)}
        </Descriptions.Item>
        <Descriptions.Item label={t('providers.dryRun.roles')}>
          {(result.roles ?? []).length === 0 && '—'}
          {(result.roles ?? []).map((r) => (
            <Tag key={r} color={(result.unmatched_roles ?? []).includes(r) ? 'default' : 'blue'}>
              {r}
            </Tag>
          ))}
          {(result.unmatched_roles ?? []).length > 0 && (
            <Typography.Text type="secondary">{t('providers.dryRun.unmatched', { roles: (result.unmatched_roles ?? []).join(', ') })}</Typography.Text>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('providers.dryRun.attributes')}>
          <AttrList attrs={result.attributes} />
        </Descriptions.Item>
        <Descriptions.Item label={t('providers.dryRun.extra')}>
          <AttrList attrs={result.extra_attributes} />
        </Descriptions.Item>
      </Descriptions>
    </div>
  );
}
