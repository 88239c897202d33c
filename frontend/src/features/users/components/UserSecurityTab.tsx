// The user card's Security tab: the person's second factor under their groups' policy,
// then the certificates bound to them. One tab rather than two keeps the card's tab bar
// from overflowing: a click on a tab half under antd's "…" scrolled the bar between
// mousedown and mouseup, and the tab never opened.
import { useTranslation } from 'react-i18next';
import Typography from 'antd/es/typography';
import '../../../i18n/sections/certsignin';
import { UserCertificatesTab } from './UserCertificatesTab';
import { UserFactorsTab } from './UserFactorsTab';

interface UserSecurityTabProps {
  userId: string;
  login: string;
  canWrite: boolean;
}

export function UserSecurityTab({ userId, login, canWrite }: UserSecurityTabProps) {
  const { t } = useTranslation();
  return (
    <>
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {t('factorPolicy.cardTitle')}
      </Typography.Title>
      <UserFactorsTab userId={userId} login={login} canReset={canWrite} />
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('users.tabs.certificates')}
      </Typography.Title>
      <UserCertificatesTab userId={userId} login={login} canWrite={canWrite} />
    </>
  );
}
