// «Разблокировать PIN-код»: a user PIN locked by wrong tries (or forgotten) is set anew on
// one's own issued device through the paired agent. The server releases the device's sealed
// admin PIN for this one operation (POST /me/devices/{id}/admin-pin, audited); the agent
// unblocks the user PIN with it. No PIN is kept: the new one lives in this form only.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import Modal from 'antd/es/modal';
import Result from 'antd/es/result';
import { TID } from '../../../testids';
import { releaseAdminPIN } from '../api/selfservice';
import type { MyDevice, OptionDeviceType } from '../api/types';
import type { AgentView } from '../lib/useAgent';
import { agentMessage } from '../lib/messages';

interface Props {
  agent: AgentView;
  device: MyDevice;
  type?: OptionDeviceType;
  onClose: () => void;
}

const CHARSETS: Record<string, RegExp> = { digits: /^[0-9]*$/, alnum: /^[0-9A-Za-z]*$/ };

export function UnblockPinDialog({ agent, device, type, onClose }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ pin: string; repeat: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState(false);
  const token = agent.state === 'paired' ? agent.tokens.find((tk) => tk.serial === device.serial) : undefined;
  const rules = type?.pin_rules;
  const min = Math.max(rules?.min_length ?? 4, token?.min_pin_len ?? 0);
  const max = Math.min(rules?.max_length ?? 64, token?.max_pin_len || 64);

  const submit = async ({ pin }: { pin: string }) => {
    if (!token) return;
    setBusy(true);
    setError(undefined);
    try {
      const { admin_pin } = await releaseAdminPIN(device.id);
      await agent.client.setUserPIN(token.ref, { admin_pin, new_pin: pin });
      setDone(true);
      void agent.refresh();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  let body;
  if (done) {
    body = (
      <Result status="success" title={t('selfService.unblock.done')} subTitle={t('selfService.unblock.doneHelp')}
        extra={<Button type="primary" data-testid={TID.unblockClose} onClick={onClose}>{t('selfService.issue.close')}</Button>} />
    );
  } else {
    body = (
      <Form form={form} layout="vertical" onFinish={submit} autoComplete="off">
        {!token && (
          <Alert type="warning" showIcon style={{ marginBottom: 16 }} data-testid={TID.unblockNoToken}
            message={agent.state === 'paired' ? t('selfService.unblock.plugIn', { serial: device.serial }) : t('selfService.unblock.pairFirst')} />
        )}
        {error !== undefined && <Alert type="error" showIcon style={{ marginBottom: 16 }} data-testid={TID.unblockError} message={agentMessage(t, error)} />}
        <Form.Item name="pin" label={t('selfService.unblock.newPin')} extra={t('selfService.unblock.rules', { min, max })}
          rules={[
            { required: true, message: t('selfService.unblock.required') },
            { min, max, message: t('selfService.unblock.rules', { min, max }) },
            { pattern: CHARSETS[rules?.charset ?? ''] ?? /^.*$/, message: t(`selfService.unblock.charset.${rules?.charset === 'alnum' ? 'alnum' : 'digits'}`) },
          ]}>
          <Input.Password autoComplete="new-password" data-testid={TID.unblockPin} />
        </Form.Item>
        <Form.Item name="repeat" label={t('selfService.unblock.repeat')} dependencies={['pin']}
          rules={[
            { required: true, message: t('selfService.unblock.required') },
            ({ getFieldValue }) => ({
              validator: (_, v) => (!v || v === getFieldValue('pin') ? Promise.resolve() : Promise.reject(new Error(t('selfService.unblock.mismatch')))),
            }),
          ]}>
          <Input.Password autoComplete="new-password" data-testid={TID.unblockRepeat} />
        </Form.Item>
        <div style={{ textAlign: 'right' }}>
          <Button onClick={onClose} style={{ marginRight: 8 }}>{t('selfService.issue.close')}</Button>
          <Button type="primary" htmlType="submit" loading={busy} disabled={!token} data-testid={TID.unblockSubmit}>
            {t('selfService.unblock.submit')}
          </Button>
        </div>
      </Form>
    );
  }
  return (
    <Modal open title={t('selfService.unblock.title', { serial: device.serial })} footer={null} width={560} destroyOnHidden maskClosable={false} onCancel={onClose}>
      <div data-testid={TID.unblockDialog}>{body}</div>
    </Modal>
  );
}
