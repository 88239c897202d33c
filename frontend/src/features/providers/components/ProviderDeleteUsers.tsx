// The users count of the providers about to be deleted (from the row menu or the bulk
// bar), read fresh from each provider: the form's confirmation says the same.
import { useQueries } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import Spin from 'antd/es/spin';
import { crudKeys } from '../../../api/crud';
import { providersApi } from '../api/providers';

const keys = crudKeys('providers');

export function ProviderDeleteUsers({ ids }: { ids: string[] }) {
  const { t } = useTranslation();
  const counts = useQueries({
    queries: ids.map((id) => ({
      queryKey: keys.detail(id),
      queryFn: ({ signal }: { signal: AbortSignal }) => providersApi.get(id, signal),
      staleTime: 0,
    })),
  });
  if (counts.some((q) => q.isPending)) return <Spin size="small" />;
  if (counts.some((q) => q.isError)) return <p>{t('providers.deleteUsersUnknown')}</p>;
  const count = counts.reduce((n, q) => n + (q.data?.users_count ?? 0), 0);
  return <p>{t(ids.length === 1 ? 'providers.deleteUsers' : 'providers.deleteUsersMany', { count })}</p>;
}
