import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import { TID } from '../../testids';

/** VersionConflictAlert explains a 409 resource.versionConflict and offers loading the current state. */
export function VersionConflictAlert({ onReload }: { onReload: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert
      type="warning"
      showIcon
      data-testid={TID.versionConflict}
      style={{ marginBottom: 16 }}
      message={t('conflict.title')}
      description={t('conflict.text')}
      action={
        <Button size="small" onClick={onReload} data-testid={TID.versionConflictReload}>
          {t('conflict.reload')}
        </Button>
      }
    />
  );
}
