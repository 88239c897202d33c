import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import Button from 'antd/es/button';
import Dropdown from 'antd/es/dropdown';
import { UserOutlined } from '@ant-design/icons';
import { useLogout, useMe, usePermissions } from '../../api/auth';
import { markSilentEntryTried } from '../silentEntry';
import { TID } from '../../testids';

/** UserMenu shows who is signed in and offers Sign out. */
export function UserMenu() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { data } = useMe();
  const logout = useLogout();
  const { has } = usePermissions();
  const name = data?.user.display_name || data?.user.login || '';
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          { key: 'login', label: data?.user.login ?? '', disabled: true },
          { type: 'divider' },
          ...(has('selfservice')
            ? [{ key: 'personal-tokens', label: <span data-testid={TID.userMenuPersonalTokens}>{t('header.personalTokens')}</span> }]
            : []),
          { key: 'signout', label: <span data-testid={TID.userMenuSignOut}>{t('header.signOut')}</span> },
        ],
        onClick: ({ key }) => {
          if (key === 'personal-tokens') navigate('/personal-tokens');
          if (key === 'signout') {
            markSilentEntryTried(); // signed out on purpose: no silent sign-in straight back
            logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) });
          }
        },
      }}
    >
      <Button type="text" icon={<UserOutlined />} data-testid={TID.userMenu} aria-label={t('header.userMenu')} style={{ color: 'inherit' }}>
        {name}
      </Button>
    </Dropdown>
  );
}
