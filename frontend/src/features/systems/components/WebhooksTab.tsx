// The Webhooks tab: the system's webhooks (url, events, enabled) with edit, rotate secret,
// send test event, delivery log and delete; the secret is shown once after create/rotate.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import App from 'antd/es/app';
import Button from 'antd/es/button';
import { DisabledContextProvider } from 'antd/es/config-provider/DisabledContext';
import Space from 'antd/es/space';
import Table from 'antd/es/table';
import Tag from 'antd/es/tag';
import Typography from 'antd/es/typography';
import { PlusOutlined } from '@ant-design/icons';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { PAGE_SIZES, useTableUrlState } from '../../../components/DataTable';
import { errorMessage } from '../../../lib/errors';
import { TID } from '../../../testids';
import { useDeleteWebhook, useRotateSecret, useTestWebhook, useWebhooks, type Webhook, type WebhookWithSecret } from '../api/stats';
import type { System } from '../api/types';
import { DeliveriesDrawer } from './DeliveriesDrawer';
import { WebhookDialog } from './WebhookDialog';
import { WebhookSecretDialog } from './WebhookSecretDialog';

const NO_FILTERS: string[] = [];

export function WebhooksTab({ system, canWrite }: { system: System; canWrite: boolean }) {
  const { t } = useTranslation();
  const { message, notification } = App.useApp();
  // Paging lives in the URL with its own prefix, beside the Certificates tab's table.
  const table = useTableUrlState(NO_FILTERS, { prefix: 'wh_' });
  const q = useWebhooks(system.id, { page: table.state.page, page_size: table.state.pageSize, sort: 'created_at', order: 'asc' });
  const [editing, setEditing] = useState<Webhook | null | undefined>(undefined); // null: a new one
  const [secret, setSecret] = useState<WebhookWithSecret | null>(null);
  const [deleting, setDeleting] = useState<Webhook | null>(null);
  const [log, setLog] = useState<Webhook | null>(null);
  const del = useDeleteWebhook(system.id);
  const rotate = useRotateSecret(system.id);
  const test = useTestWebhook(system.id);

  const run = async (fn: () => Promise<unknown>, ok?: string) => {
    try {
      await fn();
      if (ok) void message.success(ok);
    } catch (e) {
      notification.error({ message: errorMessage(t, e) });
    }
  };

  const columns = [
    {
      key: 'url',
      title: t('systems.webhooks.url'),
      render: (_: unknown, w: Webhook) => <Typography.Text style={{ wordBreak: 'break-all' }}>{w.url}</Typography.Text>,
    },
    {
      key: 'events',
      title: t('systems.webhooks.events'),
      render: (_: unknown, w: Webhook) =>
        w.events.map((e) => (
          <Tag key={e}>
            {t(`systems.webhooks.eventNames.${e.replace('.', '_')}`, {
              defaultValue: e,
            })}
          </Tag>
        )),
    },
    {
      key: 'enabled',
      title: t('systems.webhooks.enabled'),
      render: (_: unknown, w: Webhook) => <Tag color={w.enabled ? 'green' : 'default'}>{w.enabled ? t('systems.on') : t('systems.off')}</Tag>,
    },
    {
      key: 'actions',
      title: '',
      render: (_: unknown, w: Webhook) => (
        <Space wrap size="small">
          <Button size="small" onClick={() => setLog(w)}>
            {t('systems.webhooks.deliveries')}
          </Button>
          {canWrite && (
            <>
              <Button size="small" onClick={() => void run(() => test.mutateAsync(w.id), t('systems.webhooks.testSent'))}>
                {t('systems.webhooks.sendTest')}
              </Button>
              <Button size="small" onClick={() => setEditing(w)}>
                {t('common.edit')}
              </Button>
              <Button size="small" onClick={() => void run(async () => setSecret(await rotate.mutateAsync(w.id)))}>
                {t('systems.webhooks.rotate')}
              </Button>
              <Button size="small" danger onClick={() => setDeleting(w)}>
                {t('common.delete')}
              </Button>
            </>
          )}
        </Space>
      ),
    },
  ];

  return (
    // The page's form is disabled for readers; these controls only read, or check their own permission.
    <DisabledContextProvider disabled={false}>
      <div data-testid={TID.systemWebhooks}>
        <Space
          style={{
            marginBottom: 16,
            width: '100%',
            justifyContent: 'space-between',
          }}
          wrap
        >
          <Typography.Text type="secondary">{t('systems.webhooks.intro')}</Typography.Text>
          {canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)}>
              {t('systems.webhooks.add')}
            </Button>
          )}
        </Space>
        <Table<Webhook>
          size="small"
          rowKey="id"
          loading={q.isFetching}
          columns={columns}
          dataSource={q.data?.items ?? []}
          pagination={{
            current: table.state.page,
            pageSize: table.state.pageSize,
            total: q.data?.total ?? 0,
            pageSizeOptions: PAGE_SIZES.map(String),
            showSizeChanger: true,
            hideOnSinglePage: true,
            onChange: (page, size) => (size !== table.state.pageSize ? table.setPageSize(size) : table.setPage(page)),
          }}
          locale={{
            emptyText: q.error ? errorMessage(t, q.error) : t('systems.webhooks.empty'),
          }}
        />
        <WebhookDialog
          systemId={system.id}
          open={editing !== undefined}
          existing={editing ?? undefined}
          onClose={() => setEditing(undefined)}
          onCreated={setSecret}
        />
        <WebhookSecretDialog webhook={secret} onClose={() => setSecret(null)} />
        <DeliveriesDrawer systemId={system.id} webhook={log} canWrite={canWrite} onClose={() => setLog(null)} />
        <ConfirmDialog
          open={deleting !== null}
          title={t('systems.webhooks.deleteConfirm', {
            url: deleting?.url ?? '',
          })}
          loading={del.isPending}
          testId={TID.webhookDeleteConfirm}
          onCancel={() => setDeleting(null)}
          onConfirm={() =>
            void run(async () => {
              if (deleting) await del.mutateAsync(deleting.id);
              setDeleting(null);
            }, t('common.deleted'))
          }
        />
      </div>
    </DisabledContextProvider>
  );
}
