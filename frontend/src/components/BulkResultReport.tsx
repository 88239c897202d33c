// The per-id outcome of a bulk action (delete, activate, …): a success notice for what
// was done and a lasting warning that names each refused row with its translated reason.
import { useTranslation } from 'react-i18next';
import App from 'antd/es/app';
import type { BulkResult, BulkResultItem } from '../api/types';

interface BulkResultReportProps {
  /** The refused results (ok = false). */
  refused: BulkResultItem[];
  labelOf: (id: string) => string;
  testId: string;
}

/** BulkResultReport lists refused rows: "name: reason", the reason translated by its code. */
export function BulkResultReport({ refused, labelOf, testId }: BulkResultReportProps) {
  const { t } = useTranslation();
  return (
    <ul data-testid={testId} style={{ margin: 0, paddingInlineStart: 18 }}>
      {refused.map((r) => (
        <li key={r.id}>
          <strong>{labelOf(r.id)}</strong>
          {': '}
          {t(`errors.${r.code ?? 'generic'}`, { defaultValue: r.message || t('errors.generic') })}
        </li>
      ))}
    </ul>
  );
}

export interface BulkResultNotice {
  /** The success message for `count` rows done. */
  done: (count: number) => string;
  /** The warning's title for `count` refused rows. */
  refused: (count: number) => string;
  labelOf: (id: string) => string;
  /** The test id of the refusals' list. */
  testId: string;
}

/** useBulkResultNotice reports a bulk answer as notifications and returns the ids done. */
export function useBulkResultNotice() {
  const { notification } = App.useApp();
  return (res: BulkResult | undefined, o: BulkResultNotice): string[] => {
    const results = res?.results ?? [];
    const refused = results.filter((r) => !r.ok);
    const done = results.filter((r) => r.ok).map((r) => r.id);
    if (done.length > 0) notification.success({ message: o.done(done.length) });
    if (refused.length > 0) {
      notification.warning({
        message: o.refused(refused.length),
        duration: 0,
        description: <BulkResultReport refused={refused} labelOf={o.labelOf} testId={o.testId} />,
      });
    }
    return done;
  };
}
