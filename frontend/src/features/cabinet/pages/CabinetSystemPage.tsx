// One system in the client cabinet: Statistics, Parameters, Certificates and Services tabs
// (the open tab is in the URL). Another person's system answers 404: a not-found result.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import Alert from 'antd/es/alert';
import Result from 'antd/es/result';
import Tabs from 'antd/es/tabs';
import Tag from 'antd/es/tag';
import { isApiError } from '../../../api/http';
import { PageSpinner } from '../../../app/PageSpinner';
import { PageHeader } from '../../../components/PageHeader';
import { StatsView } from '../../../components/stats';
import { errorMessage } from '../../../lib/errors';
import { TID } from '../../../testids';
import { cabinetKeys, fetchCabinetStats, useCabinetSystem } from '../api/cabinet';
import { CertificatesTab } from '../components/CertificatesTab';
import { ParamsTab } from '../components/ParamsTab';
import { ServicesTab } from '../components/ServicesTab';

const TABS = ['stats', 'params', 'certs', 'services'] as const;
type Tab = (typeof TABS)[number];

export function CabinetSystemPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [sp, setSp] = useSearchParams();
  const q = useCabinetSystem(id);
  const back = <Link to="/cabinet">{t('cabinet.back')}</Link>;

  if (q.isPending) return <PageSpinner />;
  if (q.error || !q.data) {
    if (isApiError(q.error) && q.error.status === 404) {
      // antd's Result does not pass data-* attributes on: the test id sits on a wrapper.
      return (
        <div data-testid={TID.cabinetNotFound}>
          <Result status="404" title={t('cabinet.notFound')} extra={back} />
        </div>
      );
    }
    return <Alert type="error" showIcon message={errorMessage(t, q.error)} />;
  }
  const system = q.data;
  const tab: Tab = (TABS as readonly string[]).includes(sp.get('tab') ?? '') ? (sp.get('tab') as Tab) : 'stats';
  const children: Record<Tab, ReactNode> = {
    stats: (
      <StatsView
        queryKey={cabinetKeys.stats(system.id)}
        fetch={(range, signal) => fetchCabinetStats(system.id, range, signal)}
        fileBase={system.name}
        testId={TID.cabinetStats}
      />
    ),
    params: <ParamsTab system={system} onReload={() => void q.refetch()} />,
    certs: <CertificatesTab system={system} />,
    services: <ServicesTab system={system} />,
  };
  return (
    <div data-testid={TID.cabinetSystem}>
      <PageHeader
        title={
          <>
            {t('cabinet.systemTitle', { name: system.name })}{' '}
            {!system.enabled && <Tag style={{ verticalAlign: 'middle' }}>{t('systems.off')}</Tag>}
          </>
        }
        extra={back}
      />
      <Tabs
        activeKey={tab}
        destroyOnHidden
        data-testid={TID.cabinetTabs}
        onChange={(k) => setSp((prev) => {
          const next = new URLSearchParams(prev);
          if (k === 'stats') next.delete('tab');
          else next.set('tab', k);
          return next;
        }, { replace: true })}
        items={TABS.map((k) => ({ key: k, label: t(`cabinet.tabs.${k}`), children: children[k] }))}
      />
    </div>
  );
}
