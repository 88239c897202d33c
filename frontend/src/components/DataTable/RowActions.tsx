// The per-row action menu (Edit, Delete).
import { useTranslation } from 'react-i18next';
import Button from 'antd/es/button';
import Dropdown from 'antd/es/dropdown';
import type { MenuProps } from 'antd';
import { MoreOutlined } from '@ant-design/icons';
import { TID } from '../../testids';

interface RowActionsProps {
  onEdit?: () => void;
  onDelete?: () => void;
  /** When set, Delete is disabled and this explains why. */
  deleteDisabledReason?: string;
}

export function RowActions({ onEdit, onDelete, deleteDisabledReason }: RowActionsProps) {
  const { t } = useTranslation();
  const items: MenuProps['items'] = [];
  if (onEdit) items.push({ key: 'edit', label: <span data-testid={TID.rowActionEdit}>{t('common.edit')}</span> });
  if (onDelete)
    items.push({
      key: 'delete',
      danger: !deleteDisabledReason,
      disabled: !!deleteDisabledReason,
      title: deleteDisabledReason,
      label: <span data-testid={TID.rowActionDelete}>{t('common.delete')}</span>,
    });
  if (items.length === 0) return null;
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items,
        onClick: ({ key, domEvent }) => {
          domEvent.stopPropagation();
          if (key === 'edit') onEdit?.();
          if (key === 'delete') onDelete?.();
        },
      }}
    >
      <Button
        type="text"
        size="small"
        data-testid={TID.rowActions}
        aria-label={t('table.rowActions')}
        icon={<MoreOutlined />}
        onClick={(e) => e.stopPropagation()}
        onDoubleClick={(e) => e.stopPropagation()}
      />
    </Dropdown>
  );
}
