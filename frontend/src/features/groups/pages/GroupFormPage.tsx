import { useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import { usePermissions } from '../../../api/auth';
import type { Group } from '../../../api/types';
import { EntityFormShell, useEntityForm } from '../../../components/EntityForm';
import { PageSpinner } from '../../../app/PageSpinner';
import { errorMessage } from '../../../lib/errors';
import { TID } from '../../../testids';
import { groups } from '../api/groups';
import { PermissionsField } from '../components/PermissionsField';

interface Values {
  code: string;
  name: string;
  permissions: string[];
}

const empty: Values = { code: '', name: '', permissions: [] };
const toValues = (g: Group): Values => ({ code: g.code, name: g.name, permissions: g.permissions ?? [] });

export function GroupFormPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const isNew = !id || id === 'new';
  const { has } = usePermissions();
  const canWrite = has('users.write');
  const [form] = Form.useForm<Values>();
  const one = groups.useOne(isNew ? undefined : id);
  const create = groups.useCreate();
  const update = groups.useUpdate();
  const remove = groups.useRemove();
  const setDetail = groups.useSetDetail();
  const group = one.data;

  const ef = useEntityForm({
    form,
    listPath: '/groups',
    entity: group,
    toValues,
    create: (v) => create.mutateAsync({ code: v.code.trim(), name: v.name.trim(), permissions: v.permissions ?? [] }),
    // A system group's code cannot change, so it is not sent.
    update: (gid, v, version) =>
      update.mutateAsync({
        id: gid,
        body: group?.system ? { version, name: v.name.trim(), permissions: v.permissions ?? [] } : { version, code: v.code.trim(), name: v.name.trim(), permissions: v.permissions ?? [] },
      }),
    remove: (gid) => remove.mutateAsync(gid),
    onCurrent: setDetail,
    refetch: () => void one.refetch(),
  });

  if (!isNew && one.isPending) return <PageSpinner />;
  if (!isNew && one.isError) return <Alert type="error" showIcon message={errorMessage(t, one.error)} />;

  const required = { required: true, message: t('fieldErrors.required') };
  const main = (
    <>
      {group?.system && <Alert data-testid={TID.groupSystemNotice} type="info" showIcon style={{ marginBottom: 16 }} message={t('groups.systemNotice')} />}
      <Form.Item label={t('groups.code')} name="code" rules={[required, { pattern: /^[A-Za-z0-9_.-]+$/, message: t('fieldErrors.invalidFormat') }]}>
        <Input readOnly={group?.system} disabled={group?.system} autoComplete="off" />
      </Form.Item>
      <Form.Item label={t('groups.name')} name="name" rules={[required]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item label={t('groups.permissions')} name="permissions">
        <PermissionsField />
      </Form.Item>
    </>
  );
  return (
    <EntityFormShell<Values>
      title={group ? t('groups.editTitle', { name: group.name }) : t('groups.newTitle')}
      form={form}
      initialValues={empty}
      ef={ef}
      canWrite={canWrite}
      entity={group}
      resourceType="group"
      main={main} maxWidth={720}
      deleteConfirmText={t('groups.deleteConfirm', { name: group?.name ?? '' })}
      deleteDisabledReason={group?.system ? t('groups.systemCannotBeDeleted') : undefined}
    />
  );
}
