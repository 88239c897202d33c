// The PIN areas of a device type as an editable list: code, name and the write-only default
// admin and user PINs of each area ("set" / "not set"; empty keeps, Remove deletes).
import { useTranslation } from 'react-i18next';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { WriteOnlySecret } from '../../../components/WriteOnlySecret';
import { TID } from '../../../testids';

export function PinAreasField() {
  const { t } = useTranslation();
  const required = { required: true, whitespace: true, message: t('fieldErrors.required') };
  return (
    <Form.List name="pin_areas">
      {(fields, { add, remove }) => (
        <div data-testid={TID.deviceTypePinAreas}>
          {fields.map((f, i) => (
            <Card
              key={f.key}
              size="small"
              style={{ marginBottom: 12 }}
              title={t('devices.types.pinArea', { n: i + 1 })}
              extra={
                <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('devices.types.removeArea', { n: i + 1 })} onClick={() => remove(f.name)} />
              }
            >
              <div style={{ display: 'flex', gap: 12 }}>
                <Form.Item
                  style={{ flex: 1 }}
                  label={t('devices.types.areaCode')}
                  name={[f.name, 'code']}
                  rules={[required, { pattern: /^[a-z][a-z0-9_-]*$/, message: t('devices.types.codeRule') }]}
                >
                  <Input autoComplete="off" placeholder="pki" />
                </Form.Item>
                <Form.Item style={{ flex: 2 }} label={t('devices.types.areaName')} name={[f.name, 'name']} rules={[required]}>
                  <Input autoComplete="off" placeholder="PKI" />
                </Form.Item>
              </div>
              <Form.Item noStyle shouldUpdate>
                {({ getFieldValue }) => (
                  <>
                    <Form.Item label={t('devices.types.defaultAdminPin')} name={[f.name, 'default_admin_pin']}>
                      <WriteOnlySecret isSet={!!getFieldValue(['pin_areas', f.name, 'has_default_admin_pin'])} />
                    </Form.Item>
                    <Form.Item label={t('devices.types.defaultUserPin')} name={[f.name, 'default_user_pin']}>
                      <WriteOnlySecret isSet={!!getFieldValue(['pin_areas', f.name, 'has_default_user_pin'])} />
                    </Form.Item>
                  </>
                )}
              </Form.Item>
            </Card>
          ))}
          <Button icon={<PlusOutlined />} onClick={() => add({ code: '', name: '', has_default_admin_pin: false, has_default_user_pin: false })}>
            {t('devices.types.addArea')}
          </Button>
        </div>
      )}
    </Form.List>
  );
}
