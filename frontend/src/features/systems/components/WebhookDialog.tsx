// Create or edit a webhook: url, events, enabled. The server's field errors land on the fields;
// a create answers the secret once, which goes to onCreated (and to the reveal dialog only).
import { useTranslation } from 'react-i18next';
import App from 'antd/es/app';
import Checkbox from 'antd/es/checkbox';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import Modal from 'antd/es/modal';
import Switch from 'antd/es/switch';
import { placeOrNotify } from '../../../lib/errors';
import { TID } from '../../../testids';
import { WEBHOOK_EVENTS, useSaveWebhook, type Webhook, type WebhookWithSecret } from '../api/stats';

interface Values {
  url: string;
  events: string[];
  enabled: boolean;
}

interface WebhookDialogProps {
  systemId: string;
  open: boolean;
  existing?: Webhook;
  onClose: () => void;
  onCreated: (w: WebhookWithSecret) => void;
}

export function WebhookDialog({ systemId, open, existing, onClose, onCreated }: WebhookDialogProps) {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const [form] = Form.useForm<Values>();
  const save = useSaveWebhook(systemId);

  const initial: Values = existing ? { url: existing.url, events: existing.events, enabled: existing.enabled } : { url: '', events: [], enabled: true };

  const submit = async (v: Values) => {
    try {
      const saved = await save.mutateAsync({ existing, input: { url: v.url.trim(), events: v.events, enabled: v.enabled } });
      onClose();
      if (!existing) onCreated(saved as WebhookWithSecret);
    } catch (e) {
      placeOrNotify(t, form, e, (message) => notification.error({ message }));
    }
  };

  return (
    <Modal
      open={open}
      title={existing ? t('systems.webhooks.editTitle') : t('systems.webhooks.createTitle')}
      okText={existing ? t('common.save') : t('systems.webhooks.create')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      width={640}
      wrapProps={{ 'data-testid': TID.webhookDialog }}
    >
      <Form<Values> form={form} layout="vertical" onFinish={submit} preserve={false} initialValues={initial}>
        <Form.Item label={t('systems.webhooks.url')} name="url" extra={t('systems.webhooks.urlHint')} rules={[{ required: true, whitespace: true, message: t('fieldErrors.required') }, { max: 2048, message: t('fieldErrors.tooLong') }]}>
          <Input autoFocus maxLength={2048} placeholder="https://" />
        </Form.Item>
        {/* A validator, not `required`: antd would put aria-required on the group's <div>, where ARIA does not allow it. */}
        <Form.Item
          label={t('systems.webhooks.events')}
          name="events"
          rules={[{ validator: (_, v?: string[]) => (v && v.length > 0 ? Promise.resolve() : Promise.reject(new Error(t('systems.webhooks.eventsRequired')))) }]}
        >
          <Checkbox.Group style={{ display: 'flex', flexDirection: 'column', gap: 4 }} options={WEBHOOK_EVENTS.map((e) => ({ value: e, label: t(`systems.webhooks.eventNames.${e.replace('.', '_')}`) }))} />
        </Form.Item>
        <Form.Item label={t('systems.webhooks.enabled')} name="enabled" valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
