import { useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import InputNumber from 'antd/es/input-number';
import { usePermissions } from '../../../api/auth';
import type { UserType } from '../../../api/types';
import { EntityFormShell, useEntityForm } from '../../../components/EntityForm';
import { PageSpinner } from '../../../app/PageSpinner';
import { errorMessage } from '../../../lib/errors';
import { userTypes } from '../api/userTypes';
import { QuotaUsage } from '../components/QuotaUsage';

interface Values {
  code: string;
  name: string;
  quota: number;
}

const empty: Values = { code: '', name: '', quota: 0 };
const toValues = (u: UserType): Values => ({ code: u.code, name: u.name, quota: u.quota });

export function UserTypeFormPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const isNew = !id || id === 'new';
  const { has } = usePermissions();
  const canWrite = has('users.write');
  const [form] = Form.useForm<Values>();
  const one = userTypes.useOne(isNew ? undefined : id);
  const create = userTypes.useCreate();
  const update = userTypes.useUpdate();
  const remove = userTypes.useRemove();
  const setDetail = userTypes.useSetDetail();
  const ut = one.data;

  const ef = useEntityForm({
    form,
    listPath: '/user-types',
    entity: ut,
    toValues,
    create: (v) => create.mutateAsync({ code: v.code.trim(), name: v.name.trim(), quota: v.quota ?? 0 }),
    update: (uid, v, version) => update.mutateAsync({ id: uid, body: { version, code: v.code.trim(), name: v.name.trim(), quota: v.quota ?? 0 } }),
    remove: (uid) => remove.mutateAsync(uid),
    onCurrent: setDetail,
    refetch: () => void one.refetch(),
  });

  if (!isNew && one.isPending) return <PageSpinner />;
  if (!isNew && one.isError) return <Alert type="error" showIcon message={errorMessage(t, one.error)} />;

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
    <EntityFormShell<Values>
      title={ut ? t('userTypes.editTitle', { name: ut.name }) : t('userTypes.newTitle')}
      form={form}
      initialValues={empty}
      ef={ef}
      canWrite={canWrite}
      entity={ut}
      resourceType="user_type"
      main={main}
      deleteConfirmText={t('userTypes.deleteConfirm', { name: ut?.name ?? '' })}
    />
  );
}
