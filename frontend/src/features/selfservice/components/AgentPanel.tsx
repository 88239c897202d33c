// The device agent's state on this computer: not running (how to start it), not paired
// (the code it printed), or paired with the devices it sees and their PIN retry hints.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Input from 'antd/es/input';
import List from 'antd/es/list';
import Space from 'antd/es/space';
import Tag from 'antd/es/tag';
import Typography from 'antd/es/typography';
import type { AgentToken, PINState } from '../../../lib/agent';
import { TID } from '../../../testids';
import type { AgentView } from '../lib/useAgent';
import { agentMessage } from '../lib/messages';

function pinHint(t: (k: string) => string, s: PINState): string {
  if (s.locked) return t('selfService.agent.retries.locked');
  if (s.final_try) return t('selfService.agent.retries.final');
  if (s.count_low) return t('selfService.agent.retries.low');
  return t('selfService.agent.pinOk');
}

function TokenLine({ token }: { token: AgentToken }) {
  const { t } = useTranslation();
  const warn = (s: PINState) => (s.locked ? 'error' : s.final_try || s.count_low ? 'warning' : 'default');
  return (
    <List.Item data-serial={token.serial}>
      <Space direction="vertical" size={0}>
        <Typography.Text strong>
          {[token.manufacturer, token.model].filter(Boolean).join(' ')} · {token.serial || token.ref}
          {token.label ? ` · ${token.label}` : ''}
        </Typography.Text>
        <Space wrap size={4}>
          {!token.initialized && <Tag>{t('selfService.agent.blank')}</Tag>}
          {/* A blank token's PIN flags mean nothing yet (SoftHSM2 reports its SO PIN as locked). */}
          {token.initialized && <Tag color={warn(token.user_pin)}>{t('selfService.agent.userPin', { state: pinHint(t, token.user_pin) })}</Tag>}
          {token.initialized && <Tag color={warn(token.admin_pin)}>{t('selfService.agent.adminPin', { state: pinHint(t, token.admin_pin) })}</Tag>}
        </Space>
      </Space>
    </List.Item>
  );
}

export function AgentPanel({ agent }: { agent: AgentView }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [url, setUrl] = useState(agent.client.base);
  const [pairError, setPairError] = useState<unknown>();
  const [pairing, setPairing] = useState(false);

  const [codeSent, setCodeSent] = useState(false);
  const newCode = async () => {
    setPairError(undefined);
    try {
      await agent.client.pairStart();
      setCodeSent(true);
    } catch (e) {
      setPairError(e);
    }
  };

  const pair = async () => {
    setPairing(true);
    setPairError(undefined);
    try {
      await agent.pair(code);
      setCode('');
    } catch (e) {
      setPairError(e);
    } finally {
      setPairing(false);
    }
  };

  const recheck = (
    <Button data-testid={TID.agentRecheck} onClick={() => void agent.refresh()} loading={agent.state === 'checking'}>
      {t('selfService.agent.recheck')}
    </Button>
  );

  return (
    <Card title={t('selfService.agent.title')} extra={recheck} data-testid={TID.agentPanel} style={{ marginBottom: 16 }}>
      <div data-testid={TID.agentState} data-state={agent.state}>
        {agent.state === 'checking' && <Typography.Text type="secondary">{t('selfService.agent.checking')}</Typography.Text>}
        {agent.state === 'notRunning' && (
          <Alert
            type="warning"
            showIcon
            message={t('selfService.agent.notRunning')}
            description={
              <>
                <Typography.Paragraph>{t('selfService.agent.notRunningHelp')}</Typography.Paragraph>
                <Typography.Text code>{t('selfService.agent.notRunningExample')}</Typography.Text>
                <Space.Compact style={{ display: 'flex', marginTop: 12, maxWidth: 480 }}>
                  <Input aria-label={t('selfService.agent.url')} data-testid={TID.agentUrl} value={url} onChange={(e) => setUrl(e.target.value)} />
                  <Button onClick={() => agent.setUrl(url)}>{t('selfService.agent.saveUrl')}</Button>
                </Space.Compact>
              </>
            }
          />
        )}
        {agent.state === 'notPaired' && (
          <Alert
            type="info"
            showIcon
            message={t('selfService.agent.notPaired')}
            description={
              <>
                <Typography.Paragraph>{t('selfService.agent.notPairedHelp')}</Typography.Paragraph>
                <Space.Compact style={{ display: 'flex', maxWidth: 360 }}>
                  <Input
                    aria-label={t('selfService.agent.code')}
                    placeholder={t('selfService.agent.code')}
                    data-testid={TID.agentCode}
                    value={code}
                    inputMode="numeric"
                    autoComplete="off"
                    onChange={(e) => setCode(e.target.value)}
                    onPressEnter={() => void pair()}
                  />
                  <Button type="primary" data-testid={TID.agentPair} loading={pairing} disabled={!code.trim()} onClick={() => void pair()}>
                    {t('selfService.agent.pair')}
                  </Button>
                </Space.Compact>
                <Button type="link" style={{ paddingLeft: 0 }} data-testid={TID.agentNewCode} onClick={() => void newCode()}>
                  {t('selfService.agent.newCode')}
                </Button>
                {codeSent && <Typography.Text type="secondary">{t('selfService.agent.newCodeSent')}</Typography.Text>}
                {pairError !== undefined && <Alert type="error" showIcon style={{ marginTop: 12 }} message={agentMessage(t, pairError)} />}
              </>
            }
          />
        )}
        {agent.state === 'paired' && (
          <>
            <Alert
              type="success"
              showIcon
              message={t('selfService.agent.paired')}
              description={agent.status?.module ? t('selfService.agent.module', { module: agent.status.module }) : undefined}
              action={<Button size="small" onClick={agent.forget}>{t('selfService.agent.forget')}</Button>}
            />
            {agent.error !== undefined && <Alert type="error" showIcon style={{ marginTop: 12 }} message={agentMessage(t, agent.error)} />}
            <List
              data-testid={TID.agentTokens}
              header={<Typography.Text strong>{t('selfService.agent.tokens')}</Typography.Text>}
              locale={{ emptyText: t('selfService.agent.noTokens') }}
              dataSource={agent.tokens}
              rowKey={(tk) => tk.ref}
              renderItem={(tk) => <TokenLine token={tk} />}
            />
          </>
        )}
      </div>
    </Card>
  );
}
