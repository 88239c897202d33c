// The second-factor policy across the signed-in shell: a non-blocking warning while the
// person's grace to set up a required second factor runs, and, once it is over (the
// session may only set one up), the Security page is the only page.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import { useMe } from '../../api/auth';
import { formatDateTime } from '../../lib/format';

export const SECURITY_PATH = '/security';

/** useEnrolmentOnly is true for a session that may only set up a second factor. */
export function useEnrolmentOnly(): boolean {
  const { data } = useMe();
  return data?.second_factor_policy?.enrolment_required === true;
}

/** FactorPolicyBanner warns of the deadline (grace), or says why only Security is open (past it). */
export function FactorPolicyBanner() {
  const { t } = useTranslation();
  const { data } = useMe();
  const navigate = useNavigate();
  const pol = data?.second_factor_policy;
  if (!pol?.required) return null;
  if (pol.enrolment_required)
    return (
      <Alert
        type="error"
        showIcon
        style={{ marginBottom: 16 }}
        message={t('factorPolicy.enrolTitle')}
        description={t('factorPolicy.enrolText')}
      />
    );
  if (!pol.deadline) return null;
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 16 }}
      message={t('factorPolicy.banner', { date: formatDateTime(pol.deadline) })}
      action={
        <Button size="small" type="primary" onClick={() => navigate(SECURITY_PATH)}>
          {t('factorPolicy.bannerAction')}
        </Button>
      }
    />
  );
}

/** EnrolmentGate sends an enrolment-only session to the Security page instead of rendering any other page. */
export function EnrolmentGate({ children }: { children: ReactNode }) {
  const only = useEnrolmentOnly();
  const { pathname } = useLocation();
  if (only && pathname !== SECURITY_PATH) return <Navigate to={SECURITY_PATH} replace />;
  return <>{children}</>;
}
