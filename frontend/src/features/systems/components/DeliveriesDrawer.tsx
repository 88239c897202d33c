// One webhook's delivery log, newest first: event, URL, attempts, last status, response
// excerpt, duration, state and next attempt, with Redeliver for those who may change.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import App from 'antd/es/app';
import Button from 'antd/es/button';
import Drawer from 'antd/es/drawer';
import Table from 'antd/es/table';
import Tag from 'antd/es/tag';
import Typography from 'antd/es/typography';
import { errorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { TID } from '../../../testids';
import { useDeliveries, useRedeliver, type Webhook, type WebhookDelivery } from '../api/stats';

const STATE_COLOR: Record<WebhookDelivery['state'], string> = { pending: 'processing', delivered: 'success', failed: 'error' };

interface DeliveriesDrawerProps {
  systemId: string;
  webhook: Webhook | null;
  canWrite: boolean;
  onClose: () => void;
}

export function DeliveriesDrawer({ systemId, webhook, canWrite, onClose }: DeliveriesDrawerProps) {
  return (
    <Drawer open={webhook !== null} onClose={onClose} width={1100} destroyOnHidden title={webhook?.url} data-testid={TID.webhookDeliveries}>
      {webhook && <DeliveriesTable systemId={systemId} webhook={webhook} canWrite={canWrite} />}
    </Drawer>
  );
}

function DeliveriesTable({ systemId, webhook, canWrite }: { systemId: string; webhook: Webhook; canWrite: boolean }) {
  const { t } = useTranslation();
  const { message, notification } = App.useApp();
  const [page, setPage] = useState(1);
  const q = useDeliveries(systemId, webhook.id, { page, page_size: 20, sort: 'created_at', order: 'desc' });
  const redeliver = useRedeliver(systemId, webhook.id);
  const onRedeliver = async (d: WebhookDelivery) => {
    try {
      await redeliver.mutateAsync(d.id);
      void message.success(t('systems.webhooks.redelivered'));
    } catch (e) {
      notification.error({ message: errorMessage(t, e) });
    }
  };
  const columns = [
    { key: 'created', title: t('systems.webhooks.created'), render: (_: unknown, d: WebhookDelivery) => formatDateTime(d.created_at) },
    { key: 'event', title: t('systems.webhooks.event'), render: (_: unknown, d: WebhookDelivery) => t(`systems.webhooks.eventNames.${d.event.replace('.', '_')}`, { defaultValue: d.event }) },
    { key: 'url', title: t('systems.webhooks.url'), dataIndex: 'url', ellipsis: true },
    { key: 'attempts', title: t('systems.webhooks.attempts'), dataIndex: 'attempts', align: 'right' as const },
    { key: 'status', title: t('systems.webhooks.lastStatus'), render: (_: unknown, d: WebhookDelivery) => d.last_status ?? '—' },
    {
      key: 'excerpt',
      title: t('systems.webhooks.response'),
      render: (_: unknown, d: WebhookDelivery) => (
        <Typography.Text type="secondary" ellipsis={{ tooltip: d.response_excerpt || d.last_error }} style={{ maxWidth: 220, fontFamily: 'monospace', fontSize: 12 }}>
          {d.response_excerpt || d.last_error || '—'}
        </Typography.Text>
      ),
    },
    { key: 'duration', title: t('systems.webhooks.duration'), render: (_: unknown, d: WebhookDelivery) => t('systems.webhooks.ms', { ms: d.duration_ms }) },
    { key: 'state', title: t('systems.webhooks.state'), render: (_: unknown, d: WebhookDelivery) => <Tag color={STATE_COLOR[d.state]}>{t(`systems.webhooks.states.${d.state}`)}</Tag> },
    { key: 'next', title: t('systems.webhooks.nextAttempt'), render: (_: unknown, d: WebhookDelivery) => formatDateTime(d.next_attempt_at) },
    ...(canWrite
      ? [
          {
            key: 'actions',
            title: '',
            render: (_: unknown, d: WebhookDelivery) => (
              <Button size="small" onClick={() => void onRedeliver(d)} loading={redeliver.isPending && redeliver.variables === d.id}>
                {t('systems.webhooks.redeliver')}
              </Button>
            ),
          },
        ]
      : []),
  ];
  return (
    <Table<WebhookDelivery>
      size="small"
      rowKey="id"
      loading={q.isFetching}
      columns={columns}
      dataSource={q.data?.items ?? []}
      locale={{ emptyText: t('systems.webhooks.noDeliveries') }}
      pagination={{ current: page, pageSize: 20, total: q.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
    />
  );
}
