import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import App from 'antd/es/app';
import Button from 'antd/es/button';
import Dropdown from 'antd/es/dropdown';
import { UserOutlined } from '@ant-design/icons';
import { useLogout, useMe, usePermissions } from '../../api/auth';
import { isApiError } from '../../api/http';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ChangePasswordDialog, useLogoutAll } from '../../features/auth';
import { errorMessage } from '../../lib/errors';
import { markSilentEntryTried } from '../silentEntry';
import { TID } from '../../testids';

/**
 * UserMenu shows who is signed in and offers their own account's acts: personal access
 * tokens, Security (second factors), Change password, Sign out everywhere (every browser, after a confirmation) and
 * Sign out. A caller signed in with an API token has no session to end or password to
 * change here.
 */
export function UserMenu() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { notification } = App.useApp();
  const { data } = useMe();
  const logout = useLogout();
  const logoutAll = useLogoutAll();
  const { has } = usePermissions();
  const [pwOpen, setPwOpen] = useState(false);
  const [confirmAll, setConfirmAll] = useState(false);
  const name = data?.user.display_name || data?.user.login || '';
  const isSession = !data?.token;
  const toLogin = () => navigate('/login', { replace: true });
  const label = (testId: string, text: string) => <span data-testid={testId}>{text}</span>;
  return (
    <>
      <Dropdown
        trigger={['click']}
        menu={{
          items: [
            { key: 'login', label: data?.user.login ?? '', disabled: true },
            { type: 'divider' },
            ...(has('selfservice') ? [{ key: 'personal-tokens', label: label(TID.userMenuPersonalTokens, t('header.personalTokens')) }] : []),
            ...(isSession
              ? [
                  { key: 'security', label: label(TID.userMenuSecurity, t('security.menu')) },
                  { key: 'password', label: label(TID.userMenuChangePassword, t('header.changePassword')) },
                  { type: 'divider' as const },
                  { key: 'signout-all', label: label(TID.userMenuSignOutEverywhere, t('header.signOutEverywhere')) },
                ]
              : []),
            { key: 'signout', label: label(TID.userMenuSignOut, t('header.signOut')) },
          ],
          onClick: ({ key }) => {
            if (key === 'personal-tokens') navigate('/personal-tokens');
            if (key === 'security') navigate('/security');
            if (key === 'password') setPwOpen(true);
            if (key === 'signout-all') setConfirmAll(true);
            if (key === 'signout') {
              markSilentEntryTried(); // signed out on purpose: no silent sign-in straight back
              logout.mutate(undefined, { onSettled: toLogin });
            }
          },
        }}
      >
        <Button type="text" icon={<UserOutlined />} data-testid={TID.userMenu} aria-label={t('header.userMenu')} style={{ color: 'inherit' }}>
          {name}
        </Button>
      </Dropdown>
      <ChangePasswordDialog open={pwOpen} onClose={() => setPwOpen(false)} />
      <ConfirmDialog
        open={confirmAll}
        title={t('account.signOutEverywhereTitle')}
        confirmLabel={t('header.signOutEverywhere')}
        loading={logoutAll.isPending}
        testId={TID.signOutEverywhereConfirm}
        onCancel={() => setConfirmAll(false)}
        onConfirm={() => {
          markSilentEntryTried();
          logoutAll.mutate(undefined, {
            onSuccess: toLogin,
            onError: (e) => {
              setConfirmAll(false);
              if (isApiError(e) && e.status === 401) toLogin(); // already signed out
              else notification.error({ message: errorMessage(t, e) });
            },
          });
        }}
      >
        {t('account.signOutEverywhereText')}
      </ConfirmDialog>
    </>
  );
}
