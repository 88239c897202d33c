// Bulk bar extras of the providers list: Activate, Deactivate and Export of the selection.
// Activation reports refusals per provider (a second active LDAP provider, say).
import { useTranslation } from 'react-i18next';
import App from 'antd/es/app';
import Button from 'antd/es/button';
import { useBulkResultNotice } from '../../../components/BulkResultReport';
import { errorMessage } from '../../../lib/errors';
import { TID } from '../../../testids';
import { exportProviders, useBulkSetActive } from '../api/providers';
import { downloadJson, exportFilename } from './transfer';

interface ProviderBulkActionsProps {
  ids: string[];
  canWrite: boolean;
  labelOf: (id: string) => string;
}

export function ProviderBulkActions({ ids, canWrite, labelOf }: ProviderBulkActionsProps) {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const setActive = useBulkSetActive();
  const report = useBulkResultNotice();

  const run = async (active: boolean) => {
    try {
      report(await setActive.mutateAsync({ ids, active }), {
        done: (count) => t(active ? 'providers.bulk.activated' : 'providers.bulk.deactivated', { count }),
        refused: (count) => t('providers.bulk.refused', { count }),
        labelOf,
        testId: TID.providerBulkReport,
      });
    } catch (e) {
      notification.error({ message: errorMessage(t, e) });
    }
  };
  const exportSelected = async () => {
    try {
      downloadJson(await exportProviders(ids), exportFilename());
    } catch (e) {
      notification.error({ message: errorMessage(t, e) });
    }
  };

  return (
    <>
      {canWrite && (
        <>
          <Button data-testid={TID.providerBulkActivate} loading={setActive.isPending && setActive.variables?.active} onClick={() => void run(true)}>
            {t('providers.bulk.activate')}
          </Button>
          <Button data-testid={TID.providerBulkDeactivate} loading={setActive.isPending && !setActive.variables?.active} onClick={() => void run(false)}>
            {t('providers.bulk.deactivate')}
          </Button>
        </>
      )}
      <Button data-testid={TID.providerBulkExport} onClick={() => void exportSelected()}>
        {t('providers.export')}
      </Button>
    </>
  );
}
