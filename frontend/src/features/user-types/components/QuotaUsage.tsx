import { useTranslation } from 'react-i18next';
import Progress from 'antd/es/progress';
import Typography from 'antd/es/typography';
import { TID } from '../../../testids';

/** QuotaUsage shows active users against the quota (0 = unlimited). */
export function QuotaUsage({ active, quota }: { active: number; quota: number }) {
  const { t } = useTranslation();
  const text = quota > 0 ? t('userTypes.usage', { active, quota }) : t('userTypes.usageUnlimited', { active });
  return (
    <div data-testid={TID.userTypeUsage} style={{ maxWidth: 360 }}>
      <Typography.Text>{text}</Typography.Text>
      {quota > 0 && <Progress aria-label={text} percent={Math.min(100, Math.round((active / quota) * 100))} status={active >= quota ? 'exception' : 'normal'} size="small" />}
    </div>
  );
}
