// A certificate's status, with an "expiring soon" badge on an active one within 30 days.
import { useTranslation } from 'react-i18next';
import Tag from 'antd/es/tag';
import Tooltip from 'antd/es/tooltip';
import dayjs from 'dayjs';
import type { definitions } from '../../api/schema';
import { formatDateTime } from '../../lib/format';
import { TID } from '../../testids';

type Certificate = definitions['SystemCertificate'];

/** EXPIRING_SOON_DAYS: an active certificate expiring within this many days gets a badge. */
export const EXPIRING_SOON_DAYS = 30;

/** daysLeft is the number of whole days until not_after (0 = today or past). */
export function daysLeft(c: Pick<Certificate, 'not_after'>, now = dayjs()): number {
  return Math.max(0, dayjs(c.not_after).diff(now, 'day'));
}

/** expiresSoon: active and within EXPIRING_SOON_DAYS of not_after (the server says so too). */
export function expiresSoon(c: Pick<Certificate, 'status' | 'not_after' | 'expiring_soon'>, now = dayjs()): boolean {
  return c.status === 'active' && (c.expiring_soon || dayjs(c.not_after).diff(now, 'day', true) <= EXPIRING_SOON_DAYS);
}

const COLORS: Record<Certificate['status'], string> = { active: 'green', disabled: 'default', revoked: 'red', expired: 'volcano' };

export function CertificateStatusTag({ cert }: { cert: Certificate }) {
  const { t } = useTranslation();
  return (
    <span style={{ display: 'inline-flex', flexWrap: 'wrap', gap: 4, maxWidth: 150 }}>
      <Tag color={COLORS[cert.status]} data-testid={TID.certStatus}>
        {t(`systems.certs.status.${cert.status}`)}
      </Tag>
      {expiresSoon(cert) && (
        <Tooltip title={formatDateTime(cert.not_after)}>
          <Tag color="orange" data-testid={TID.certExpiringSoon}>
            {t('systems.certs.expiresInDays', { count: daysLeft(cert) })}
          </Tag>
        </Tooltip>
      )}
    </span>
  );
}
