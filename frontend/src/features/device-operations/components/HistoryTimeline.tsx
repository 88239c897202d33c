// The transitions of an issuance (or of every issuance of a device, and the operators' acts):
// from → to, who, when, and the comment.
import { useTranslation } from 'react-i18next';
import Timeline from 'antd/es/timeline';
import Typography from 'antd/es/typography';
import { formatDateTime } from '../../../lib/format';
import { TID } from '../../../testids';
import type { IssuanceEvent } from '../api/operations';
import { IssuanceStateTag } from './StatusTags';

export function HistoryTimeline({ events }: { events: IssuanceEvent[] }) {
  const { t } = useTranslation();
  if (events.length === 0) return <Typography.Text type="secondary">{t('devices.noHistory')}</Typography.Text>;
  return (
    <div data-testid={TID.deviceHistory}>
      <Timeline
        items={events.map((e, i) => ({
          key: `${e.at}-${i}`,
          children: (
            <div>
              {e.from && (
                <>
                  <IssuanceStateTag state={e.from} /> →{' '}
                </>
              )}
              <IssuanceStateTag state={e.to} />
              <div>
                <Typography.Text type="secondary">
                  {formatDateTime(e.at)} · {e.actor_login || t('devices.system')}
                </Typography.Text>
              </div>
              {e.comment && <Typography.Paragraph style={{ marginBottom: 0 }}>«{e.comment}»</Typography.Paragraph>}
            </div>
          ),
        }))}
      />
    </div>
  );
}
