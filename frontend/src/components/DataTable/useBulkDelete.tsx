// Bulk delete with confirmation and a per-id report of what the server refused.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import App from 'antd/es/app';
import { errorMessage } from '../../lib/errors';
import { TID } from '../../testids';
import type { BulkResult } from '../../api/types';
import { useBulkResultNotice } from '../BulkResultReport';

interface Options {
  onBulkDelete?: (ids: string[]) => Promise<BulkResult>;
  labelOf: (id: string) => string;
  onDeleted: (ids: string[]) => void;
}

export function useBulkDelete({ onBulkDelete, labelOf, onDeleted }: Options) {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const report = useBulkResultNotice();
  const [pending, setPending] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);

  const confirm = async () => {
    if (!pending || !onBulkDelete) return;
    setBusy(true);
    try {
      const deleted = report(await onBulkDelete(pending), {
        done: (count) => t('table.deleted', { count }),
        refused: (count) => t('table.deleteRefused', { count }),
        labelOf,
        testId: TID.bulkDeleteReport,
      });
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
