// Token scopes as checkboxes grouped by resource, each with its translated description.
// Scopes the signed-in caller does not hold are shown disabled: a token never carries
// more than its creator may do (the server refuses it too).
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import Checkbox from 'antd/es/checkbox';
import Spin from 'antd/es/spin';
import Tooltip from 'antd/es/tooltip';
import Typography from 'antd/es/typography';
import { http } from '../../../api/http';
import type { PermissionInfo } from '../../../api/types';
import { errorMessage } from '../../../lib/errors';
import { TID } from '../../../testids';
import type { TokenKind } from '../api/types';

interface ScopesFieldProps {
  value?: string[];
  onChange?: (v: string[]) => void;
  kind: TokenKind;
  /** The permissions the caller holds. */
  held: ReadonlySet<string>;
}

function useCatalogue() {
  return useQuery({
    queryKey: ['permissions'],
    queryFn: ({ signal }) => http.get<PermissionInfo[]>('/permissions', { signal }),
    staleTime: Infinity,
  });
}

export function ScopesField({ value = [], onChange, kind, held }: ScopesFieldProps) {
  const { t } = useTranslation();
  const cat = useCatalogue();
  if (cat.isPending) return <Spin />;
  if (cat.isError) return <Alert type="error" showIcon message={errorMessage(t, cat.error)} />;
  // selfservice means acting for a user: only personal tokens may carry it.
  const offered = cat.data.filter((p) => kind === 'personal' || p.code !== 'selfservice');
  const groups = new Map<string, PermissionInfo[]>();
  offered.forEach((p) => groups.set(p.resource, [...(groups.get(p.resource) ?? []), p]));
  const selected = new Set(value);
  const toggle = (code: string, on: boolean) => {
    if (on) selected.add(code);
    else selected.delete(code);
    onChange?.(offered.map((p) => p.code).filter((c) => selected.has(c)));
  };
  return (
    <div data-testid={TID.tokenScopes} style={{ display: 'grid', gap: 8, maxHeight: 320, overflowY: 'auto', paddingRight: 4 }}>
      {Array.from(groups.entries()).map(([resource, perms]) => (
        <fieldset key={resource} style={{ border: '1px solid #f0f0f0', borderRadius: 6, padding: '4px 12px 8px', margin: 0 }}>
          <legend style={{ fontWeight: 600, fontSize: 14, width: 'auto', padding: '0 4px', margin: 0, border: 0 }}>
            {t(`permissionResources.${resource}`, { defaultValue: resource })}
          </legend>
          {perms.map((p) => {
            const box = (
              <Checkbox checked={selected.has(p.code)} disabled={!held.has(p.code)} onChange={(e) => toggle(p.code, e.target.checked)}>
                {t(`permissions.${p.code}`, { defaultValue: p.code })}{' '}
                <Typography.Text type="secondary" code>
                  {p.code}
                </Typography.Text>
              </Checkbox>
            );
            return <div key={p.code}>{held.has(p.code) ? box : <Tooltip title={t('tokens.scopeNotHeld')}>{box}</Tooltip>}</div>;
          })}
        </fieldset>
      ))}
    </div>
  );
}
