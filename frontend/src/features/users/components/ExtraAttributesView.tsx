import { useTranslation } from 'react-i18next';
import Empty from 'antd/es/empty';
import Table from 'antd/es/table';
import Typography from 'antd/es/typography';
import { TID } from '../../../testids';

interface Row {
  key: string;
  value: unknown;
}

interface Props {
  attributes: Record<string, unknown> | null | undefined;
  /** mapped: the access-schema attributes a provider's mapping wrote (else the extra attributes). */
  mapped?: boolean;
}

/** ExtraAttributesView shows the user's extra attributes (the soft-mapping store), or the mapped access-schema attributes, as key/value pairs. */
export function ExtraAttributesView({ attributes, mapped = false }: Props) {
  const { t } = useTranslation();
  const testId = mapped ? TID.userMappedAttributes : TID.userExtraAttributes;
  const rows: Row[] = Object.entries(attributes ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => ({ key, value }));
  if (rows.length === 0) {
    return <Empty data-testid={testId} description={mapped ? t('users.noMappedAttributes') : t('users.noExtraAttributes')} />;
  }
  return (
    <Table<Row>
      data-testid={testId}
      size="small"
      rowKey="key"
      pagination={false}
      dataSource={rows}
      columns={[
        { key: 'key', title: t('users.attrKey'), dataIndex: 'key', width: 260 },
        {
          key: 'value',
          title: t('users.attrValue'),
          render: (_: unknown, r) => <Typography.Text code>{typeof r.value === 'string' ? r.value : JSON.stringify(r.value)}</Typography.Text>,
        },
      ]}
    />
  );
}
