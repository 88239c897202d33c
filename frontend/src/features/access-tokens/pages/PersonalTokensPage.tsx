import { useTranslation } from 'react-i18next';
import Alert from 'antd/es/alert';
import { usePermissions } from '../../../api/auth';
import { personalTokens } from '../api/tokens';
import { TokensView } from '../components/TokensView';

/** PersonalTokensPage: the signed-in user's personal access tokens (selfservice), at most 5 live ones. */
export function PersonalTokensPage() {
  const { t } = useTranslation();
  const { has, permissions } = usePermissions();
  return (
    <TokensView
      res={personalTokens}
      title={t('tokens.personalTitle')}
      canWrite={has('selfservice')}
      held={permissions}
      showStats
      note={<Alert type="info" showIcon style={{ marginTop: 16 }} message={t('tokens.personalIntro')} />}
    />
  );
}
