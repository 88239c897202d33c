// Test connection: runs the saved provider's step-by-step check and shows the trace
// as a checklist (each step ok or failed, its duration and message).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import List from 'antd/es/list';
import Modal from 'antd/es/modal';
import Spin from 'antd/es/spin';
import Typography from 'antd/es/typography';
import { ApiOutlined, CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { errorMessage } from '../../../lib/errors';
import { TID } from '../../../testids';
import { useTestConnection } from '../api/providers';
import type { TestStep } from '../api/types';

/** formatDuration shows a step's duration: under a second in ms, else seconds. */
export function formatDuration(ms: number): string {
  if (ms < 1) return '<1 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

export function TestConnectionButton({ providerId, isDirty }: { providerId: string; isDirty: () => boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [dirty, setDirty] = useState(false);
  const test = useTestConnection();
  const run = () => {
    setDirty(isDirty());
    setOpen(true);
    test.mutate(providerId);
  };
  return (
    <>
      <Button icon={<ApiOutlined />} onClick={run} data-testid={TID.providerTest}>
        {t('providers.test.button')}
      </Button>
      <Modal
        open={open}
        title={t('providers.test.title')}
        onCancel={() => setOpen(false)}
        footer={[
          <Button key="again" onClick={() => test.mutate(providerId)} loading={test.isPending}>
            {t('providers.test.again')}
          </Button>,
          <Button key="close" type="primary" onClick={() => setOpen(false)}>
            {t('providers.close')}
          </Button>,
        ]}
        wrapProps={{ 'data-testid': TID.providerTestDialog }}
      >
        <Typography.Paragraph type="secondary">{t(dirty ? 'providers.test.unsaved' : 'providers.test.savedSettings')}</Typography.Paragraph>
        {test.isPending && <Spin />}
        {test.isError && <Alert type="error" showIcon message={errorMessage(t, test.error)} />}
        {test.data && !test.isPending && (
          <>
            <Alert
              data-testid={TID.providerTestResult}
              type={test.data.ok ? 'success' : 'error'}
              showIcon
              style={{ marginBottom: 12 }}
              message={t(test.data.ok ? 'providers.test.ok' : 'providers.test.failed')}
            />
            <StepList steps={test.data.steps} />
          </>
        )}
      </Modal>
    </>
  );
}

/** StepList shows a trace of steps as a checklist. */
export function StepList({ steps }: { steps: TestStep[] }) {
  const { t } = useTranslation();
  return (
    <List
      size="small"
      bordered
      data-testid={TID.providerTestSteps}
      dataSource={steps}
      renderItem={(s) => (
        <List.Item data-step={s.step} data-ok={String(s.ok)} extra={<Typography.Text type="secondary">{formatDuration(s.duration_ms)}</Typography.Text>}>
          <List.Item.Meta
            avatar={s.ok ? <CheckCircleFilled style={{ color: '#389e0d' }} aria-label={t('providers.test.stepOk')} /> : <CloseCircleFilled style={{ color: '#cf1322' }} aria-label={t('providers.test.stepFailed')} />}
            title={t(`providers.test.steps.${s.step}`, { defaultValue: s.step })}
            description={s.message}
          />
        </List.Item>
      )}
    />
  );
}
