import { useTranslation } from 'react-i18next';
import { usePermissions } from '../../../api/auth';
import { apiTokens } from '../api/tokens';
import { TokensView } from '../components/TokensView';

/** AccessTokensPage: the organisation's API tokens (apiTokens.read; changes need apiTokens.write). */
export function AccessTokensPage() {
  const { t } = useTranslation();
  const { has, permissions } = usePermissions();
  return <TokensView res={apiTokens} title={t('tokens.title')} canWrite={has('apiTokens.write')} held={permissions} showStats={has('stats.read')} />;
}
