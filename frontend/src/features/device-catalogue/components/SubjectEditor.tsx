// The subject of a certificate template as an ordered list of RDN rows (attribute + value),
// with the placeholders offered as quick-insert chips into the row last focused.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Button from 'antd/es/button';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import Select from 'antd/es/select';
import Space from 'antd/es/space';
import Typography from 'antd/es/typography';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { TID } from '../../../testids';
import { RDN_ATTRS, type SubjectRDN } from '../api/catalogue';

/** PLACEHOLDERS a subject value may hold; attr.<code> is any user attribute. */
export const PLACEHOLDERS = ['{{login}}', '{{display_name}}', '{{email}}', '{{attr.}}'] as const;

export function SubjectEditor() {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const [focused, setFocused] = useState(0);
  const insert = (ph: string) => {
    const rows = (form.getFieldValue('subject') as SubjectRDN[] | undefined) ?? [];
    if (rows.length === 0) return;
    const i = Math.min(focused, rows.length - 1);
    const next = rows.map((r, j) => (j === i ? { ...r, value: `${r.value ?? ''}${ph}` } : r));
    form.setFieldValue('subject', next);
  };
  return (
    <div data-testid={TID.templateSubject}>
      <Space wrap style={{ marginBottom: 8 }}>
        <Typography.Text type="secondary">{t('devices.templates.insert')}</Typography.Text>
        {PLACEHOLDERS.map((ph) => (
          <Button key={ph} size="small" type="dashed" onClick={() => insert(ph)} data-testid={TID.templatePlaceholder}>
            {ph === '{{attr.}}' ? '{{attr.<code>}}' : ph}
          </Button>
        ))}
      </Space>
      <Form.List name="subject">
        {(fields, { add, remove, move }) => (
          <>
            {fields.map((f, i) => (
              <div key={f.key} style={{ display: 'flex', gap: 8, alignItems: 'flex-start' }}>
                <Form.Item style={{ width: 150, marginBottom: 8 }} name={[f.name, 'attr']}>
                  <Select aria-label={t('devices.templates.rdnAttr', { n: i + 1 })} options={RDN_ATTRS.map((a) => ({ value: a, label: a }))} />
                </Form.Item>
                <Form.Item style={{ flex: 1, marginBottom: 8 }} name={[f.name, 'value']}>
                  <Input aria-label={t('devices.templates.rdnValue', { n: i + 1 })} onFocus={() => setFocused(i)} autoComplete="off" />
                </Form.Item>
                <Button icon={<ArrowUpOutlined />} aria-label={t('devices.templates.up')} disabled={i === 0} onClick={() => move(i, i - 1)} />
                <Button icon={<ArrowDownOutlined />} aria-label={t('devices.templates.down')} disabled={i === fields.length - 1} onClick={() => move(i, i + 1)} />
                <Button icon={<DeleteOutlined />} aria-label={t('devices.templates.removeRdn', { n: i + 1 })} onClick={() => remove(f.name)} />
              </div>
            ))}
            <Button icon={<PlusOutlined />} onClick={() => add({ attr: 'OU', value: '' })}>
              {t('devices.templates.addRdn')}
            </Button>
          </>
        )}
      </Form.List>
    </div>
  );
}
