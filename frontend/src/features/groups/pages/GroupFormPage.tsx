import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import InputNumber from 'antd/es/input-number';
import Switch from 'antd/es/switch';
import type { Group, GroupCreate, GroupUpdate } from '../../../api/types';
import { EntityFormShell, useCrudFormPage } from '../../../components/EntityForm';
import { TID } from '../../../testids';
import { groups } from '../api/groups';
import { PermissionsField } from '../components/PermissionsField';

interface Values {
  code: string;
  name: string;
  permissions: string[];
  second_factor_required: boolean;
  second_factor_grace_days: number;
}

const empty: Values = { code: '', name: '', permissions: [], second_factor_required: false, second_factor_grace_days: 7 };
const toValues = (g: Group): Values => ({
  code: g.code,
  name: g.name,
  permissions: g.permissions ?? [],
  second_factor_required: g.second_factor_required,
  second_factor_grace_days: g.second_factor_grace_days,
});
const policy = (v: Values) => ({
  second_factor_required: !!v.second_factor_required,
  second_factor_grace_days: v.second_factor_grace_days ?? 0,
});
const toCreate = (v: Values): GroupCreate => ({ code: v.code.trim(), name: v.name.trim(), permissions: v.permissions ?? [], ...policy(v) });
// A system group's code cannot change, so it is not sent.
const toUpdate = (v: Values, version: number, g: Group): GroupUpdate =>
  g.system
    ? { version, name: v.name.trim(), permissions: v.permissions ?? [], ...policy(v) }
    : { version, code: v.code.trim(), name: v.name.trim(), permissions: v.permissions ?? [], ...policy(v) };

export function GroupFormPage() {
  const { t } = useTranslation();
  const page = useCrudFormPage({ resource: groups, listPath: '/groups', writePermission: 'users.write', toValues, toCreate, toUpdate });
  if (page.placeholder) return page.placeholder;

  const group = page.entity;
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
      <Form.Item
        label={t('factorPolicy.groupRequired')}
        name="second_factor_required"
        valuePropName="checked"
        extra={t('factorPolicy.groupRequiredHelp')}
      >
        <Switch />
      </Form.Item>
      <Form.Item
        label={t('factorPolicy.groupGraceDays')}
        name="second_factor_grace_days"
        extra={t('factorPolicy.groupGraceHelp')}
        rules={[required]}
      >
        <InputNumber min={0} max={365} precision={0} style={{ width: 120 }} />
      </Form.Item>
    </>
  );
  return (
    <EntityFormShell
      page={page}
      title={group ? t('groups.editTitle', { name: group.name }) : t('groups.newTitle')}
      initialValues={empty}
      resourceType="group"
      main={main}
      maxWidth={720}
      deleteConfirmText={t('groups.deleteConfirm', { name: group?.name ?? '' })}
      deleteDisabledReason={group?.system ? t('groups.systemCannotBeDeleted') : undefined}
    />
  );
}
