// The bar shown while rows are selected: "Selected: N", Edit (exactly one), Delete, Reset selection.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import Button from 'antd/es/button';
import Space from 'antd/es/space';
import Typography from 'antd/es/typography';
import { TID } from '../../testids';

interface BulkBarProps {
  count: number;
  onEdit?: () => void;
  onDelete?: () => void;
  onReset: () => void;
  /** Feature-specific actions, after Delete. */
  extra?: ReactNode;
}

export function BulkBar({ count, onEdit, onDelete, onReset, extra }: BulkBarProps) {
  const { t } = useTranslation();
  if (count === 0) return null;
  return (
    <div
      data-testid={TID.bulkBar}
      role="toolbar"
      aria-label={t('table.bulkActions')}
      className="custos-bulkbar"
      style={{
        display: 'flex',
        alignItems: 'center',
        gap: 16,
        padding: '8px 12px',
        marginBottom: 12,
        borderRadius: 6,
        background: 'rgba(22, 119, 255, 0.06)',
        border: '1px solid rgba(22, 119, 255, 0.25)',
      }}
    >
      <Typography.Text strong data-testid={TID.bulkSelectedCount}>
        {t('table.selected', { count })}
      </Typography.Text>
      <Space>
        {onEdit && (
          <Button data-testid={TID.bulkEdit} disabled={count !== 1} onClick={onEdit}>
            {t('common.edit')}
          </Button>
        )}
        {onDelete && (
          <Button data-testid={TID.bulkDelete} danger onClick={onDelete}>
            {t('common.delete')}
          </Button>
        )}
        {extra}
        <Button data-testid={TID.bulkResetSelection} type="link" onClick={onReset}>
          {t('table.resetSelection')}
        </Button>
      </Space>
    </div>
  );
}
