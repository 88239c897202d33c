import { useTranslation } from 'react-i18next';
import Tag from 'antd/es/tag';
import type { DeviceStatus, IssuanceState } from '../api/operations';

const STATE_COLOR: Partial<Record<IssuanceState, string>> = {
  pending_approval: 'gold',
  approved: 'blue',
  rejected: 'red',
  writing: 'processing',
  issued: 'green',
  failed: 'red',
  smev_check: 'purple',
};

export function IssuanceStateTag({ state }: { state: IssuanceState | string }) {
  const { t } = useTranslation();
  return <Tag color={STATE_COLOR[state as IssuanceState]}>{t(`devices.states.${state}`, { defaultValue: state })}</Tag>;
}

const STATUS_COLOR: Record<DeviceStatus, string> = { issued: 'green', blocked: 'orange', revoked: 'red' };

export function DeviceStatusTag({ status }: { status: DeviceStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOR[status]}>{t(`devices.status.${status}`)}</Tag>;
}
