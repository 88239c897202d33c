// The Schema mapping tab (SPEC §4.3): each access-schema attribute with the provider
// attribute that feeds it, "Without mapping", and the per-attribute rules dialog
// (enabled once the provider is saved); attributes with rules carry a dot.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import Badge from 'antd/es/badge';
import Button from 'antd/es/button';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import Space from 'antd/es/space';
import Switch from 'antd/es/switch';
import Table from 'antd/es/table';
import Tooltip from 'antd/es/tooltip';
import Typography from 'antd/es/typography';
import { NodeIndexOutlined } from '@ant-design/icons';
import { errorMessage } from '../../../lib/errors';
import { TID } from '../../../testids';
import { useSchemaAttributes } from '../api/providers';
import type { MappingRule, ProviderType, SchemaAttribute } from '../api/types';
import { AttributeMappingDialog } from './AttributeMappingDialog';
import { hasRules, isUnmapped, type MappingValue } from './providerForm';

const USER_ROLES = 'user_roles';

interface SchemaMappingTabProps {
  /** Rules can be set once the provider is saved. */
  saved: boolean;
  /** Extra controls (the dry run) shown above the table. */
  toolbar?: ReactNode;
}

/** sourceKind names what the right column holds for a type: a claim path, an LDAP attribute or a local attribute. */
export function sourceKind(type: ProviderType | undefined): 'claim' | 'ldap' | 'local' {
  if (type === 'ldap' || type === 'ldap_kerberos') return 'ldap';
  if (type === 'local') return 'local';
  return 'claim';
}

export function SchemaMappingTab({ saved, toolbar }: SchemaMappingTabProps) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const type = Form.useWatch('type', form) as ProviderType | undefined;
  const mappings = (Form.useWatch('mappings', { form, preserve: true }) ?? {}) as Record<string, MappingValue>;
  const attrs = useSchemaAttributes();
  // "Without mapping" freezes the unmapped set when switched on, so a row does not vanish while it is typed in.
  const [onlyUnmapped, setOnlyUnmapped] = useState<Set<string> | null>(null);
  const [editing, setEditing] = useState<SchemaAttribute | null>(null);
  const kind = sourceKind(type);

  const all = attrs.data?.items ?? [];
  const rows = onlyUnmapped ? all.filter((a) => onlyUnmapped.has(a.code)) : all;
  const applyRules = (rules: MappingRule[]) => {
    if (!editing) return;
    form.setFieldValue(['mappings', editing.code, 'rules'], rules);
    setEditing(null);
  };

  if (attrs.isError) return <Alert type="error" showIcon message={errorMessage(t, attrs.error)} />;
  return (
    <>
      <Space wrap style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }}>
        <Space>
          <Switch
            id="provider-without-mapping"
            data-testid={TID.mappingWithoutSwitch}
            checked={onlyUnmapped !== null}
            onChange={(on) => setOnlyUnmapped(on ? new Set(all.filter((a) => isUnmapped(mappings[a.code])).map((a) => a.code)) : null)}
          />
          <label htmlFor="provider-without-mapping">{t('providers.mapping.withoutMapping')}</label>
        </Space>
        {toolbar}
      </Space>
      <Typography.Paragraph type="secondary">{t(`providers.mapping.hint.${kind}`)}</Typography.Paragraph>
      <Table<SchemaAttribute>
        data-testid={TID.mappingTable}
        rowKey="code"
        size="small"
        pagination={false}
        loading={attrs.isLoading}
        dataSource={rows}
        columns={[
          {
            key: 'attribute',
            title: t('providers.mapping.attribute'),
            width: '35%',
            render: (_: unknown, a) => (
              <Space size={6}>
                <span style={{ display: 'inline-block', width: 8 }}>
                  {hasRules(mappings[a.code]) && (
                    <Badge status="processing" data-testid={TID.mappingDot} role="img" aria-label={t('providers.mapping.hasRules')} title={t('providers.mapping.hasRules')} />
                  )}
                </span>
                <span>
                  {a.name} <Typography.Text type="secondary">({a.code})</Typography.Text>
                </span>
              </Space>
            ),
          },
          {
            key: 'source',
            title: t(`providers.mapping.source.${kind}`),
            render: (_: unknown, a) => (
              <Form.Item
                name={['mappings', a.code, 'source']}
                style={{ marginBottom: 0 }}
                extra={a.code === USER_ROLES && kind === 'claim' ? t('providers.mapping.userRolesHint') : undefined}
                rules={[{ max: 300, message: t('fieldErrors.tooLong') }]}
              >
                <Input aria-label={t('providers.mapping.sourceFor', { name: a.name })} placeholder={a.code} autoComplete="off" />
              </Form.Item>
            ),
          },
          {
            key: 'rules',
            width: 64,
            align: 'center',
            render: (_: unknown, a) => {
              const n = mappings[a.code]?.rules?.length ?? 0;
              return (
                <Tooltip title={saved ? t('providers.mapping.rulesFor', { name: a.name }) : t('providers.mapping.saveFirst')}>
                  <Badge count={n} size="small" offset={[-4, 4]} color="#1f5fbf">
                    <Button
                      icon={<NodeIndexOutlined />}
                      disabled={!saved}
                      aria-label={t('providers.mapping.rulesFor', { name: a.name })}
                      onClick={() => setEditing(a)}
                    />
                  </Badge>
                </Tooltip>
              );
            },
          },
        ]}
      />
      <AttributeMappingDialog
        open={editing !== null}
        attribute={editing}
        rules={editing ? (mappings[editing.code]?.rules ?? []) : []}
        onApply={applyRules}
        onCancel={() => setEditing(null)}
      />
    </>
  );
}
