import { useTranslation } from 'react-i18next';
import Button from 'antd/es/button';
import Space from 'antd/es/space';
import Tooltip from 'antd/es/tooltip';
import { TID } from '../../testids';

interface FormActionsProps {
  saving?: boolean;
  canSave?: boolean;
  onCancel: () => void;
  /** Shown on edit only. */
  onDelete?: () => void;
  deleteDisabledReason?: string;
}

/** FormActions: Save (submits the form), Cancel, and Delete on edit. */
export function FormActions({ saving, canSave = true, onCancel, onDelete, deleteDisabledReason }: FormActionsProps) {
  const { t } = useTranslation();
  return (
    <Space style={{ marginTop: 8 }}>
      {canSave && (
        <Button type="primary" htmlType="submit" loading={saving} data-testid={TID.formSave}>
          {t('common.save')}
        </Button>
      )}
      <Button onClick={onCancel} disabled={false} data-testid={TID.formCancel}>
        {t('common.cancelForm')}
      </Button>
      {onDelete && (
        <Tooltip title={deleteDisabledReason}>
          <Button danger disabled={!!deleteDisabledReason} onClick={onDelete} data-testid={TID.formDelete}>
            {t('common.delete')}
          </Button>
        </Tooltip>
      )}
    </Space>
  );
}
