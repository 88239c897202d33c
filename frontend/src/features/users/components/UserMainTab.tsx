import { useTranslation } from 'react-i18next';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import Select from 'antd/es/select';
import Switch from 'antd/es/switch';
import { TID } from '../../../testids';
import { useUserTypeOptions } from '../api/users';

/** UserMainTab: login, email, display name, user type, active, LDAP pre-check, password on create. */
export function UserMainTab({ isNew }: { isNew: boolean }) {
  const { t } = useTranslation();
  const types = useUserTypeOptions();
  const required = { required: true, message: t('fieldErrors.required') };
  return (
    <>
      <Form.Item label={t('users.login')} name="login" rules={[required, { max: 255, message: t('fieldErrors.tooLong') }]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item label={t('users.email')} name="email" rules={[{ type: 'email', message: t('fieldErrors.invalidFormat') }]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item label={t('users.displayName')} name="display_name">
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item label={t('users.userType')} name="user_type_id">
        <Select
          data-testid={TID.userTypeSelect}
          allowClear
          showSearch
          optionFilterProp="label"
          loading={types.isLoading}
          placeholder={t('users.noUserType')}
          options={(types.data?.items ?? []).map((ut) => ({ value: ut.id, label: ut.name }))}
        />
      </Form.Item>
      <Form.Item label={t('users.active')} name="active" valuePropName="checked">
        <Switch />
      </Form.Item>
      <Form.Item label={t('users.ldapPrecheck')} name="ldap_precheck" valuePropName="checked" tooltip={t('users.ldapPrecheckHint')}>
        <Switch />
      </Form.Item>
      {isNew && (
        <Form.Item label={t('users.password')} name="password" extra={t('users.passwordHint')}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      )}
    </>
  );
}
