import { useEffect, useState, type ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import Button from 'antd/es/button';
import Result from 'antd/es/result';
import { useMe, usePermissions } from '../api/auth';
import { isApiError } from '../api/http';
import type { Permission } from '../api/types';
import { errorMessage } from '../lib/errors';
import { PageSpinner } from './PageSpinner';
import { trySilentEntry } from './silentEntry';

/** RequireAuth renders its child routes for a signed-in user and sends anyone else to /login?next=... */
export function RequireAuth() {
  const { t } = useTranslation();
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <PageSpinner />;
  if (me.isError) {
    if (isApiError(me.error) && me.error.status === 401) {
      return <SignInFirst next={location.pathname + location.search} />;
    }
    return (
      <Result
        status="error"
        title={errorMessage(t, me.error)}
        extra={<Button onClick={() => void me.refetch()}>{t('common.retry')}</Button>}
      />
    );
  }
  return <Outlet />;
}

/** SignInFirst tries the silent OpenID entry once per tab, else sends the visitor to /login?next=... */
function SignInFirst({ next }: { next: string }) {
  const [toLogin, setToLogin] = useState(false);
  useEffect(() => {
    if (!trySilentEntry(next)) setToLogin(true);
  }, [next]);
  if (toLogin) return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  return <PageSpinner />;
}

/** RequirePermission shows a 403 result instead of a page the user may not open. */
export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { t } = useTranslation();
  const { has } = usePermissions();
  if (!has(permission)) return <Result status="403" title={t('errors.authz.denied')} />;
  return <>{children}</>;
}
