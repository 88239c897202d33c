// A token's status, with a warning badge when an active token expires soon.
import { useTranslation } from 'react-i18next';
import Tag from 'antd/es/tag';
import Tooltip from 'antd/es/tooltip';
import dayjs from 'dayjs';
import { TID } from '../../../testids';
import { formatDateTime } from '../../../lib/format';
import { EXPIRING_SOON_DAYS, type ApiToken } from '../api/types';

/** daysLeft is the number of whole days until expiry (0 = today), or null without an expiry. */
export function daysLeft(t: Pick<ApiToken, 'expires_at'>, now = dayjs()): number | null {
  if (!t.expires_at) return null;
  return Math.max(0, dayjs(t.expires_at).diff(now, 'day'));
}

/** expiresSoon: active and expiring within EXPIRING_SOON_DAYS. */
export function expiresSoon(t: Pick<ApiToken, 'status' | 'expires_at'>, now = dayjs()): boolean {
  const d = daysLeft(t, now);
  return t.status === 'active' && d !== null && d < EXPIRING_SOON_DAYS;
}

const COLORS: Record<ApiToken['status'], string> = { active: 'green', revoked: 'red', expired: 'default' };

export function TokenStatusTag({ token }: { token: ApiToken }) {
  const { t } = useTranslation();
  return (
    <span style={{ display: 'inline-flex', flexWrap: 'wrap', gap: 4, maxWidth: 150 }}>
      <Tag color={COLORS[token.status]}>{t(`tokens.status.${token.status}`)}</Tag>
      {expiresSoon(token) && (
        <Tooltip title={formatDateTime(token.expires_at)}>
          <Tag color="orange" data-testid={TID.tokenExpiringSoon}>
            {t('tokens.expiresInDays', { count: daysLeft(token) ?? 0 })}
          </Tag>
        </Tooltip>
      )}
    </span>
  );
}
