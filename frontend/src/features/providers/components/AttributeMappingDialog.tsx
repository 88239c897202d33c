// The Attribute mapping dialog (Маппинг атрибутов): rows of provider value → schema
// value for one access-schema attribute, with Add rule and a delete per row. OK puts the
// rules into the provider form; Save on the form stores them.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import Button from 'antd/es/button';
import Empty from 'antd/es/empty';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import Modal from 'antd/es/modal';
import Typography from 'antd/es/typography';
import { ArrowRightOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { TID } from '../../../testids';
import type { MappingRule } from '../api/types';

interface AttributeMappingDialogProps {
  open: boolean;
  attribute: { code: string; name: string } | null;
  rules: MappingRule[];
  onApply: (rules: MappingRule[]) => void;
  onCancel: () => void;
}

/** duplicateFroms lists the row indexes whose provider value repeats an earlier row's. */
export function duplicateFroms(rules: Partial<MappingRule>[]): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  rules.forEach((r, i) => {
    const v = (r?.from ?? '').trim();
    if (v && seen.has(v)) out.push(i);
    seen.add(v);
  });
  return out;
}

export function AttributeMappingDialog({ open, attribute, rules, onApply, onCancel }: AttributeMappingDialogProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ rules: MappingRule[] }>();
  useEffect(() => {
    if (open) form.setFieldsValue({ rules: rules.map((r) => ({ ...r })) });
  }, [open]);

  const required = { required: true, whitespace: true, message: t('fieldErrors.required') };
  const apply = async () => {
    const v = await form.validateFields();
    onApply((v.rules ?? []).map((r) => ({ from: r.from.trim(), to: r.to.trim() })));
  };

  return (
    <Modal
      open={open}
      title={t('providers.mapping.dialogTitle', { name: attribute?.name ?? '' })}
      okText={t('providers.mapping.apply')}
      cancelText={t('common.cancel')}
      onOk={() => void apply().catch(() => undefined)}
      onCancel={onCancel}
      width={640}
      destroyOnHidden
      wrapProps={{ 'data-testid': TID.mappingDialog }}
    >
      <Typography.Paragraph type="secondary">{t('providers.mapping.dialogHint', { code: attribute?.code ?? '' })}</Typography.Paragraph>
      <Form form={form} component={false}>
        <Form.List name="rules">
          {(fields, { add, remove }) => (
            <>
              {fields.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('providers.mapping.noRules')} />
              ) : (
                <div style={{ display: 'grid', gridTemplateColumns: '1fr 16px 1fr 32px', gap: '0 8px', alignItems: 'start' }}>
                  <Typography.Text strong>{t('providers.mapping.provider')}</Typography.Text>
                  <span />
                  <Typography.Text strong>{t('providers.mapping.schema')}</Typography.Text>
                  <span />
                  {fields.map((f, i) => (
                    <RuleRow key={f.key} name={f.name} index={i} required={required} onRemove={() => remove(f.name)} />
                  ))}
                </div>
              )}
              <Button icon={<PlusOutlined />} onClick={() => add({ from: '', to: '' })} data-testid={TID.mappingAddRule} style={{ marginTop: 8 }}>
                {t('providers.mapping.addRule')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

interface RuleRowProps {
  name: number;
  index: number;
  required: { required: boolean; whitespace: boolean; message: string };
  onRemove: () => void;
}

function RuleRow({ name, index, required, onRemove }: RuleRowProps) {
  const { t } = useTranslation();
  const unique = ({ getFieldValue }: { getFieldValue: (n: unknown) => unknown }) => ({
    validator: () =>
      duplicateFroms((getFieldValue('rules') as MappingRule[]) ?? []).includes(name)
        ? Promise.reject(new Error(t('fieldErrors.duplicate')))
        : Promise.resolve(),
  });
  return (
    <>
      <Form.Item name={[name, 'from']} rules={[required, unique]} style={{ marginTop: 8, marginBottom: 0 }}>
        <Input aria-label={t('providers.mapping.providerValue', { n: index + 1 })} autoComplete="off" />
      </Form.Item>
      <ArrowRightOutlined style={{ marginTop: 17, color: '#8c8c8c' }} />
      <Form.Item name={[name, 'to']} rules={[required]} style={{ marginTop: 8, marginBottom: 0 }}>
        <Input aria-label={t('providers.mapping.schemaValue', { n: index + 1 })} autoComplete="off" />
      </Form.Item>
      <Button
        type="text"
        danger
        icon={<DeleteOutlined />}
        aria-label={t('providers.mapping.deleteRule', { n: index + 1 })}
        onClick={onRemove}
        style={{ marginTop: 8 }}
      />
    </>
  );
}
