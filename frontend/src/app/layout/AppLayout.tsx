// The signed-in shell: header (product, language, user menu), left navigation for the sections
// the user may open, and the routed page.
import { Suspense } from 'react';
import { Link, Navigate, Outlet, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import AntApp from 'antd/es/app';
import Layout from 'antd/es/layout';
import Menu from 'antd/es/menu';
import type { MenuProps } from 'antd';
import Result from 'antd/es/result';
import Space from 'antd/es/space';
import { usePermissions } from '../../api/auth';
import { LanguageSwitcher } from '../../components/LanguageSwitcher';
import { TID } from '../../testids';
import { visibleSections, type Section } from '../nav';
import { PageSpinner } from '../PageSpinner';
import { UserMenu } from './UserMenu';
import { EnrolmentGate, FactorPolicyBanner, useEnrolmentOnly } from './FactorPolicyBanner';

type MenuItems = NonNullable<MenuProps['items']>;

/** menuItems: the sections in order, those of one group (Devices) gathered under its label. */
function menuItems(sections: Section[], t: (key: string) => string): MenuItems {
  const out: MenuItems = [];
  const groups = new Map<string, MenuItems>();
  for (const s of sections) {
    const item = { key: s.key, label: <Link to={s.path}>{t(s.labelKey)}</Link> };
    if (!s.groupKey) {
      out.push(item);
      continue;
    }
    let children = groups.get(s.groupKey);
    if (!children) {
      children = [];
      groups.set(s.groupKey, children);
      out.push({ key: s.groupKey, type: 'group', label: t(s.groupKey), children });
    }
    children.push(item);
  }
  return out;
}

export function AppLayout() {
  const { t } = useTranslation();
  const { permissions } = usePermissions();
  const { pathname } = useLocation();
  // A session that may only set up a second factor has no sections to open.
  const enrolmentOnly = useEnrolmentOnly();
  const sections = enrolmentOnly ? [] : visibleSections(permissions);
  const active = sections.find((s) => pathname === s.path || pathname.startsWith(`${s.path}/`));
  return (
    <AntApp>
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Header
          data-testid={TID.appHeader}
          style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', color: '#fff', paddingInline: 24 }}
        >
          <Link to="/" data-testid={TID.productName} style={{ color: '#fff', fontSize: 20, fontWeight: 600 }}>
            Custos
          </Link>
          <Space size="middle">
            <LanguageSwitcher />
            <UserMenu />
          </Space>
        </Layout.Header>
        <Layout>
          <Layout.Sider width={232} theme="light" breakpoint="lg" collapsedWidth={0}>
            <nav aria-label={t('nav.label')} data-testid={TID.sideNav}>
              <Menu
                mode="inline"
                selectedKeys={active ? [active.key] : []}
                style={{ borderInlineEnd: 0, paddingTop: 8 }}
                items={menuItems(sections, (k) => t(k))}
              />
            </nav>
          </Layout.Sider>
          <Layout.Content style={{ padding: 24, background: '#fff', minWidth: 0 }}>
            <FactorPolicyBanner />
            <EnrolmentGate>
              <Suspense fallback={<PageSpinner />}>
                <Outlet />
              </Suspense>
            </EnrolmentGate>
          </Layout.Content>
        </Layout>
      </Layout>
    </AntApp>
  );
}

/**
 * HomeRedirect (for those who see no dashboard, see routes.tsx) opens the first section the
 * user may see (a cabinet-only client: the cabinet); a person without any section
 * but with self-service (a plain user signed in through a provider) gets their own page,
 * the personal access tokens, instead of an empty console.
 */
export function HomeRedirect() {
  const { t } = useTranslation();
  const { permissions } = usePermissions();
  const first = visibleSections(permissions)[0];
  if (first) return <Navigate to={first.path} replace />;
  if (permissions.has('selfservice')) return <Navigate to="/personal-tokens" replace />;
  return <Result status="info" title={t('app.noSections')} />;
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return <Result status="404" title={t('app.notFound')} extra={<Link to="/">{t('app.home')}</Link>} />;
}
