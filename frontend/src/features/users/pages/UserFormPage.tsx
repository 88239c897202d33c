// The user card: create and edit, with tabs Main, Groups, attributes, Sessions, tokens and History.
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Form from 'antd/es/form';
import Tabs from 'antd/es/tabs';
import { usePermissions } from '../../../api/auth';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { FormActions, VersionConflictAlert, useEntityForm } from '../../../components/EntityForm';
import { ResourceHistory } from '../../../components/History/ResourceHistory';
import { PageHeader } from '../../../components/PageHeader';
import { PageSpinner } from '../../../app/PageSpinner';
import { errorMessage } from '../../../lib/errors';
import { TID } from '../../../testids';
import { users } from '../api/users';
import { ExtraAttributesView } from '../components/ExtraAttributesView';
import { SetPasswordDialog } from '../components/SetPasswordDialog';
import { UserGroupsTab } from '../components/UserGroupsTab';
import { UserMainTab } from '../components/UserMainTab';
import { UserSessionsTab } from '../components/UserSessionsTab';
import { UserTokensTab } from '../../access-tokens';
import { emptyUser, userToValues, valuesToCreate, valuesToUpdate, type UserFormValues } from '../components/userForm';

export function UserFormPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const isNew = !id || id === 'new';
  const { has } = usePermissions();
  const canWrite = has('users.write');
  const [form] = Form.useForm<UserFormValues>();
  const [pwOpen, setPwOpen] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const one = users.useOne(isNew ? undefined : id);
  const create = users.useCreate();
  const update = users.useUpdate();
  const remove = users.useRemove();
  const setDetail = users.useSetDetail();

  const ef = useEntityForm({
    form,
    listPath: '/users',
    entity: one.data,
    toValues: userToValues,
    create: (v) => create.mutateAsync(valuesToCreate(v)),
    update: (uid, v, version) => update.mutateAsync({ id: uid, body: valuesToUpdate(v, version) }),
    remove: (uid) => remove.mutateAsync(uid),
    onCurrent: setDetail,
    refetch: () => void one.refetch(),
  });

  if (!isNew && one.isPending) return <PageSpinner />;
  if (!isNew && one.isError) return <Alert type="error" showIcon message={errorMessage(t, one.error)} />;

  const user = one.data;
  const tabs = [
    { key: 'main', label: t('users.tabs.main'), forceRender: true, children: <UserMainTab isNew={isNew} /> },
    { key: 'groups', label: t('users.tabs.groups'), forceRender: true, children: <UserGroupsTab /> },
  ];
  if (user) {
    tabs.push({ key: 'attributes', label: t('users.tabs.attributes'), forceRender: false, children: <ExtraAttributesView mapped attributes={user.attributes} /> });
    tabs.push({ key: 'extra', label: t('users.tabs.extra'), forceRender: false, children: <ExtraAttributesView attributes={user.extra_attributes} /> });
    tabs.push({ key: 'sessions', label: t('users.tabs.sessions'), forceRender: false, children: <UserSessionsTab userId={user.id} login={user.login} canEnd={canWrite} /> });
    if (has('apiTokens.read')) {
      tabs.push({ key: 'tokens', label: t('users.tabs.tokens'), forceRender: false, children: <UserTokensTab userId={user.id} canRevoke={has('apiTokens.write')} /> });
    }
    if (has('audit.read')) {
      tabs.push({ key: 'history', label: t('users.tabs.history'), forceRender: false, children: <ResourceHistory resourceType="user" resourceId={user.id} /> });
    }
  }

  return (
    <>
      <PageHeader
        title={user ? t('users.editTitle', { name: user.login }) : t('users.newTitle')}
        extra={
          user && canWrite ? (
            <Button data-testid={TID.userSetPassword} onClick={() => setPwOpen(true)}>
              {t('users.setPassword')}
            </Button>
          ) : undefined
        }
      />
      {ef.conflict && <VersionConflictAlert onReload={ef.reloadFromConflict} />}
      <Form<UserFormValues>
        form={form}
        layout="vertical"
        style={{ maxWidth: 880 }}
        disabled={!canWrite}
        initialValues={emptyUser}
        onFinish={(v) => void ef.submit(v)}
      >
        <Tabs data-testid={TID.userTabs} items={tabs} />
        <FormActions
          saving={ef.saving}
          canSave={canWrite}
          onCancel={ef.cancel}
          onDelete={user && canWrite ? () => setConfirmDelete(true) : undefined}
        />
      </Form>
      {user && <SetPasswordDialog userId={user.id} open={pwOpen} onClose={() => setPwOpen(false)} />}
      <ConfirmDialog
        open={confirmDelete}
        title={t('table.deleteConfirmTitle')}
        onCancel={() => setConfirmDelete(false)}
        onConfirm={() => {
          setConfirmDelete(false);
          void ef.remove();
        }}
      >
        {t('users.deleteConfirm', { name: user?.login ?? '' })}
      </ConfirmDialog>
    </>
  );
}
