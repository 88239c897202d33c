import { useTranslation } from 'react-i18next';
import Empty from 'antd/es/empty';
import Table from 'antd/es/table';
import Typography from 'antd/es/typography';
import { TID } from '../../../testids';

interface Row {
  key: string;
  value: unknown;
}

/** ExtraAttributesView shows the user's extra attributes (the soft-mapping store) as key/value pairs. */
export function ExtraAttributesView({ attributes }: { attributes: Record<string, unknown> | null | undefined }) {
  const { t } = useTranslation();
  const rows: Row[] = Object.entries(attributes ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => ({ key, value }));
  if (rows.length === 0) return <Empty data-testid={TID.userExtraAttributes} description={t('users.noExtraAttributes')} />;
  return (
    <Table<Row>
      data-testid={TID.userExtraAttributes}
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
