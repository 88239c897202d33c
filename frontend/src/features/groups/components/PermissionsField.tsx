// Permissions as checkboxes grouped by resource, each with its translated description.
// A permission the signed-in caller does not hold cannot be given (the server refuses
// it too): its box is disabled, with the reason in a tooltip; one already given stays
// shown as it is.
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import Checkbox from 'antd/es/checkbox';
import Spin from 'antd/es/spin';
import Tooltip from 'antd/es/tooltip';
import Typography from 'antd/es/typography';
import { usePermissions } from '../../../api/auth';
import type { PermissionInfo } from '../../../api/types';
import { errorMessage } from '../../../lib/errors';
import { TID } from '../../../testids';
import { usePermissionCatalogue } from '../api/groups';

interface PermissionsFieldProps {
  value?: string[];
  onChange?: (v: string[]) => void;
  disabled?: boolean;
}

/** groupByResource keeps the catalogue's order of resources and of actions within one. */
export function groupByResource(list: PermissionInfo[]): [string, PermissionInfo[]][] {
  const m = new Map<string, PermissionInfo[]>();
  for (const p of list) {
    const arr = m.get(p.resource) ?? [];
    arr.push(p);
    m.set(p.resource, arr);
  }
  return Array.from(m.entries());
}

export function PermissionsField({ value = [], onChange, disabled }: PermissionsFieldProps) {
  const { t } = useTranslation();
  const cat = usePermissionCatalogue();
  const { permissions: held } = usePermissions();
  if (cat.isPending) return <Spin />;
  if (cat.isError) return <Alert type="error" showIcon message={errorMessage(t, cat.error)} />;
  const selected = new Set(value);
  const toggle = (code: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(code);
    else next.delete(code);
    onChange?.(cat.data.map((p) => p.code).filter((c) => next.has(c)));
  };
  return (
    <div data-testid={TID.groupPermissions} style={{ display: 'grid', gap: 12 }}>
      {groupByResource(cat.data).map(([resource, perms]) => (
        <fieldset key={resource} style={{ border: '1px solid #f0f0f0', borderRadius: 6, padding: '8px 12px', margin: 0 }}>
          <legend style={{ fontWeight: 600, fontSize: 14, width: 'auto', padding: '0 4px', margin: 0, border: 0 }}>
            {t(`permissionResources.${resource}`, { defaultValue: resource })}
          </legend>
          {perms.map((p) => {
            const holds = held.has(p.code);
            const box = (
              <Checkbox checked={selected.has(p.code)} disabled={disabled || !holds} onChange={(e) => toggle(p.code, e.target.checked)}>
                {t(`permissions.${p.code}`, { defaultValue: p.code })}{' '}
                <Typography.Text type="secondary" code>
                  {p.code}
                </Typography.Text>
              </Checkbox>
            );
            return <div key={p.code}>{holds || disabled ? box : <Tooltip title={t('groups.permissionNotHeld')}>{box}</Tooltip>}</div>;
          })}
        </fieldset>
      ))}
    </div>
  );
}
