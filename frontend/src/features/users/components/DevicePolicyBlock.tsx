// The user card's read-only line: the device usage policy that applies to the user and the
// group it comes from (GET /users/{id}/device-policy), for those who may read devices.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import Typography from 'antd/es/typography';
import { http } from '../../../api/http';
import type { definitions } from '../../../api/schema';
import { TID } from '../../../testids';

type Effective = definitions['EffectiveDevicePolicy'];

export function DevicePolicyBlock({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['users', 'device-policy', userId],
    queryFn: ({ signal }) => http.get<Effective>(`/users/${encodeURIComponent(userId)}/device-policy`, { signal }),
  });
  if (!q.data) return null;
  const { policy, group } = q.data;
  return (
    <Typography.Paragraph data-testid={TID.userDevicePolicy}>
      <Typography.Text type="secondary">{t('users.devicePolicy')}: </Typography.Text>
      {policy ? t('users.devicePolicyFrom', { name: policy.name, group: group?.name ?? '—' }) : t('users.devicePolicyNone')}
    </Typography.Paragraph>
  );
}
