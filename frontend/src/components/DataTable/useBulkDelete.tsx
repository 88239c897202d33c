// Bulk delete with confirmation and a per-id report of what the server refused.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import App from 'antd/es/app';
import { errorMessage } from '../../lib/errors';
import { TID } from '../../testids';
import type { BulkResult } from '../../api/types';

interface Options {
  onBulkDelete?: (ids: string[]) => Promise<BulkResult>;
  labelOf: (id: string) => string;
  onDeleted: (ids: string[]) => void;
}

export function useBulkDelete({ onBulkDelete, labelOf, onDeleted }: Options) {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const [pending, setPending] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);

  const confirm = async () => {
    if (!pending || !onBulkDelete) return;
    setBusy(true);
    try {
      const res = await onBulkDelete(pending);
      const results = res?.results ?? [];
      const refused = results.filter((r) => !r.ok);
      const deleted = results.filter((r) => r.ok).map((r) => r.id);
      if (deleted.length > 0) {
        notification.success({ message: t('table.deleted', { count: deleted.length }) });
      }
      if (refused.length > 0) {
        notification.warning({
          message: t('table.deleteRefused', { count: refused.length }),
          duration: 0,
          description: (
            <ul data-testid={TID.bulkDeleteReport} style={{ margin: 0, paddingInlineStart: 18 }}>
              {refused.map((r) => (
                <li key={r.id}>
                  <strong>{labelOf(r.id)}</strong>
                  {': '}
                  {t(`errors.${r.code ?? 'generic'}`, { defaultValue: r.message || t('errors.generic') })}
                </li>
              ))}
            </ul>
          ),
        });
      }
      onDeleted(deleted);
      setPending(null);
    } catch (e) {
      notification.error({ message: errorMessage(t, e) });
    } finally {
      setBusy(false);
    }
  };

  return {
    pending,
    busy,
    request: (ids: string[]) => setPending(ids),
    cancel: () => setPending(null),
    confirm,
  };
}
