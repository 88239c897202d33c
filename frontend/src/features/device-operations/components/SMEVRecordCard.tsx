// The SMEV check of an issuance (the form sent: passport data, SNILS, INN… and SMEV's
// answer), for operators (devices.approve). Personal data: fetched only on a click, never
// kept in the query cache after the page goes, each read audited by the server.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Descriptions from 'antd/es/descriptions';
import Tag from 'antd/es/tag';
import Typography from 'antd/es/typography';
import { http } from '../../../api/http';
import type { definitions } from '../../../api/schema';
import { errorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { TID } from '../../../testids';

export type SMEVRecord = definitions['IssuanceSMEVRecord'];

const FIELDS = ['last_name', 'first_name', 'middle_name', 'birth_date', 'snils', 'inn', 'passport_series', 'passport_number', 'email'] as const;

export function SMEVRecordCard({ issuanceId }: { issuanceId: string }) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(false);
  const rec = useQuery({
    queryKey: ['smev-record', issuanceId],
    queryFn: ({ signal }) => http.get<SMEVRecord>(`/issuances/${encodeURIComponent(issuanceId)}/smev`, { signal }),
    enabled: shown,
    gcTime: 0,
    staleTime: Infinity,
    retry: false,
  });
  const label = (f: string) => t(`smevFields.${f}`);
  const answer = rec.data?.answer;
  return (
    <Card size="small" title={t('devices.issuances.smevTitle')} style={{ maxWidth: 820, marginTop: 16 }} data-testid={TID.issuanceSmev}>
      {!shown && (
        <>
          <Typography.Paragraph type="secondary">{t('devices.issuances.smevHint')}</Typography.Paragraph>
          <Button data-testid={TID.issuanceSmevShow} onClick={() => setShown(true)}>
            {t('devices.issuances.smevShow')}
          </Button>
        </>
      )}
      {shown && rec.isError && <Alert type="error" showIcon message={errorMessage(t, rec.error)} />}
      {shown && rec.isPending && <Typography.Text type="secondary">…</Typography.Text>}
      {rec.data && answer && (
        <Descriptions bordered size="small" column={1}>
          <Descriptions.Item label={t('devices.issuances.smevAnswer')}>
            {answer.result === 'match' ? (
              <Tag color="green">{t('devices.issuances.smevMatch')}</Tag>
            ) : answer.result === 'mismatch' ? (
              <Tag color="red">{t('devices.issuances.smevMismatch', { fields: answer.fields.map(label).join(', ') })}</Tag>
            ) : (
              <Tag color="orange">{t('devices.issuances.smevError')}</Tag>
            )}
            {answer.message ? ` ${answer.message}` : ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('devices.issuances.smevCheckedAt')}>{formatDateTime(rec.data.checked_at)}</Descriptions.Item>
          {FIELDS.map((f) => (
            <Descriptions.Item key={f} label={label(f)}>
              {rec.data.form[f] || '—'}
            </Descriptions.Item>
          ))}
          <Descriptions.Item label={t('devices.issuances.smevRequestId')}>{rec.data.request_id}</Descriptions.Item>
        </Descriptions>
      )}
    </Card>
  );
}
