// The user card: create and edit, with tabs Main, Groups, attributes, Sessions, Security
// (second factor, bound certificates), tokens and History.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Button from 'antd/es/button';
import { usePermissions } from '../../../api/auth';
import { EntityFormShell, useCrudFormPage } from '../../../components/EntityForm';
import { ResourceHistory } from '../../../components/History/ResourceHistory';
import { TID } from '../../../testids';
import { UserTokensTab } from '../../access-tokens';
import { users } from '../api/users';
import { ExtraAttributesView } from '../components/ExtraAttributesView';
import { SetPasswordDialog } from '../components/SetPasswordDialog';
import { UserGroupsTab } from '../components/UserGroupsTab';
import { DevicePolicyBlock } from '../components/DevicePolicyBlock';
import { UserMainTab } from '../components/UserMainTab';
import { UserSessionsTab } from '../components/UserSessionsTab';
import { UserSecurityTab } from '../components/UserSecurityTab';
import { emptyUser, userToValues, valuesToCreate, valuesToUpdate } from '../components/userForm';

export function UserFormPage() {
  const { t } = useTranslation();
  const { has } = usePermissions();
  const [pwOpen, setPwOpen] = useState(false);
  const page = useCrudFormPage({
    resource: users,
    listPath: '/users',
    writePermission: 'users.write',
    toValues: userToValues,
    toCreate: valuesToCreate,
    toUpdate: valuesToUpdate,
  });
  if (page.placeholder) return page.placeholder;

  const { entity: user, canWrite } = page;
  const tabs = [
    {
      key: 'main',
      label: t('users.tabs.main'),
      forceRender: true,
      children: (
        <>
          <UserMainTab isNew={page.isNew} />
          {user && has('devices.read') && <DevicePolicyBlock userId={user.id} />}
        </>
      ),
    },
    { key: 'groups', label: t('users.tabs.groups'), forceRender: true, children: <UserGroupsTab /> },
  ];
  if (user) {
    tabs.push({ key: 'attributes', label: t('users.tabs.attributes'), forceRender: false, children: <ExtraAttributesView mapped attributes={user.attributes} /> });
    tabs.push({ key: 'extra', label: t('users.tabs.extra'), forceRender: false, children: <ExtraAttributesView attributes={user.extra_attributes} /> });
    tabs.push({ key: 'sessions', label: t('users.tabs.sessions'), forceRender: false, children: <UserSessionsTab userId={user.id} login={user.login} canEnd={canWrite} /> });
    tabs.push({ key: 'security', label: t('users.tabs.security'), forceRender: false, children: <UserSecurityTab userId={user.id} login={user.login} canWrite={canWrite} /> });
    if (has('apiTokens.read')) {
      tabs.push({ key: 'tokens', label: t('users.tabs.tokens'), forceRender: false, children: <UserTokensTab userId={user.id} canRevoke={has('apiTokens.write')} /> });
    }
    if (has('audit.read')) {
      tabs.push({ key: 'history', label: t('users.tabs.history'), forceRender: false, children: <ResourceHistory resourceType="user" resourceId={user.id} /> });
    }
  }

  return (
    <EntityFormShell
      page={page}
      title={user ? t('users.editTitle', { name: user.login }) : t('users.newTitle')}
      headerExtra={
        user && canWrite ? (
          <Button data-testid={TID.userSetPassword} onClick={() => setPwOpen(true)}>
            {t('users.setPassword')}
          </Button>
        ) : undefined
      }
      initialValues={emptyUser}
      tabs={tabs}
      tabsTestId={TID.userTabs}
      formlessTabs={['sessions', 'security', 'tokens']}
      maxWidth={1000}
      deleteConfirmText={t('users.deleteConfirm', { name: user?.login ?? '' })}
    >
      {user && <SetPasswordDialog userId={user.id} open={pwOpen} onClose={() => setPwOpen(false)} />}
    </EntityFormShell>
  );
}
