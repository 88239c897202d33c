import { useTranslation } from 'react-i18next';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import InputNumber from 'antd/es/input-number';
import type { UserType, UserTypeCreate, UserTypeUpdate } from '../../../api/types';
import { EntityFormShell, useCrudFormPage } from '../../../components/EntityForm';
import { userTypes } from '../api/userTypes';
import { QuotaUsage } from '../components/QuotaUsage';

interface Values {
  code: string;
  name: string;
  quota: number;
}

const empty: Values = { code: '', name: '', quota: 0 };
const toValues = (u: UserType): Values => ({ code: u.code, name: u.name, quota: u.quota });
const toCreate = (v: Values): UserTypeCreate => ({ code: v.code.trim(), name: v.name.trim(), quota: v.quota ?? 0 });
const toUpdate = (v: Values, version: number): UserTypeUpdate => ({ version, code: v.code.trim(), name: v.name.trim(), quota: v.quota ?? 0 });

export function UserTypeFormPage() {
  const { t } = useTranslation();
  const page = useCrudFormPage({ resource: userTypes, listPath: '/user-types', writePermission: 'users.write', toValues, toCreate, toUpdate });
  if (page.placeholder) return page.placeholder;

  const ut = page.entity;
  const required = { required: true, message: t('fieldErrors.required') };
  const main = (
    <>
      {ut && (
        <Form.Item label={t('userTypes.activeUsers')}>
          <QuotaUsage active={ut.active_users} quota={ut.quota} />
        </Form.Item>
      )}
      <Form.Item label={t('userTypes.code')} name="code" rules={[required]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item label={t('userTypes.name')} name="name" rules={[required]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item label={t('userTypes.quota')} name="quota" extra={t('userTypes.quotaHint')} rules={[required]}>
        <InputNumber min={0} precision={0} style={{ width: 200 }} />
      </Form.Item>
    </>
  );
  return (
    <EntityFormShell
      page={page}
      title={ut ? t('userTypes.editTitle', { name: ut.name }) : t('userTypes.newTitle')}
      initialValues={empty}
      resourceType="user_type"
      main={main}
      deleteConfirmText={t('userTypes.deleteConfirm', { name: ut?.name ?? '' })}
    />
  );
}
