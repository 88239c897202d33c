// Every route of the SPA. Each section is its own lazily loaded chunk; the login route
// loads only the shell and the login page.
import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { RequireAuth, RequirePermission } from './RequireAuth';
import { UnauthenticatedRedirect } from './UnauthenticatedRedirect';
import { StepUpHost } from './StepUpHost';
import { PageSpinner } from './PageSpinner';
import { usePermissions } from '../api/auth';
import type { Permission } from '../api/types';
import { showsDashboard } from './nav';

function lazyNamed<M, K extends keyof M>(load: () => Promise<M>, name: K) {
  return lazy(async () => ({ default: (await load())[name] as unknown as ComponentType }));
}

const loadAuth = () => import('../features/auth');
const loadLogin = () => import('../features/auth/login');
const loadLayout = () => import('./layout/AppLayout');
const loadProviders = () => import('../features/providers');
const loadUsers = () => import('../features/users');
const loadGroups = () => import('../features/groups');
const loadUserTypes = () => import('../features/user-types');
const loadAccessSchema = () => import('../features/access-schema');
const loadLicence = () => import('../features/licence');
const loadAudit = () => import('../features/audit');
const loadTokens = () => import('../features/access-tokens');
const loadSystems = () => import('../features/systems');
const loadCA = () => import('../features/ca');
const loadCabinet = () => import('../features/cabinet');
const loadDashboard = () => import('../features/dashboard');
const loadSelfService = () => import('../features/selfservice');
const loadDeviceCatalogue = () => import('../features/device-catalogue');
const loadDeviceOps = () => import('../features/device-operations');
const loadMailSettings = () => import('../features/mail-settings');

const LoginPage = lazyNamed(loadLogin, 'LoginPage');
const SecurityPage = lazyNamed(loadAuth, 'SecurityPage');
const AppLayout = lazyNamed(loadLayout, 'AppLayout');
const HomeRedirect = lazyNamed(loadLayout, 'HomeRedirect');
const NotFoundPage = lazyNamed(loadLayout, 'NotFoundPage');
const ProvidersListPage = lazyNamed(loadProviders, 'ProvidersListPage');
const ProviderFormPage = lazyNamed(loadProviders, 'ProviderFormPage');
const UsersListPage = lazyNamed(loadUsers, 'UsersListPage');
const UserFormPage = lazyNamed(loadUsers, 'UserFormPage');
const GroupsListPage = lazyNamed(loadGroups, 'GroupsListPage');
const GroupFormPage = lazyNamed(loadGroups, 'GroupFormPage');
const UserTypesListPage = lazyNamed(loadUserTypes, 'UserTypesListPage');
const UserTypeFormPage = lazyNamed(loadUserTypes, 'UserTypeFormPage');
const AttributesListPage = lazyNamed(loadAccessSchema, 'AttributesListPage');
const AttributeFormPage = lazyNamed(loadAccessSchema, 'AttributeFormPage');
const LicencePage = lazyNamed(loadLicence, 'LicencePage');
const AuditLogPage = lazyNamed(loadAudit, 'AuditLogPage');
const AccessTokensPage = lazyNamed(loadTokens, 'AccessTokensPage');
const PersonalTokensPage = lazyNamed(loadTokens, 'PersonalTokensPage');
const SystemsListPage = lazyNamed(loadSystems, 'SystemsListPage');
const SystemFormPage = lazyNamed(loadSystems, 'SystemFormPage');
const CAPage = lazyNamed(loadCA, 'CAPage');
const CabinetListPage = lazyNamed(loadCabinet, 'CabinetListPage');
const CabinetSystemPage = lazyNamed(loadCabinet, 'CabinetSystemPage');
const DashboardPage = lazyNamed(loadDashboard, 'DashboardPage');
const SelfServicePage = lazyNamed(loadSelfService, 'SelfServicePage');
const DeviceTypesListPage = lazyNamed(loadDeviceCatalogue, 'DeviceTypesListPage');
const DeviceTypeFormPage = lazyNamed(loadDeviceCatalogue, 'DeviceTypeFormPage');
const TemplatesListPage = lazyNamed(loadDeviceCatalogue, 'TemplatesListPage');
const TemplateFormPage = lazyNamed(loadDeviceCatalogue, 'TemplateFormPage');
const PoliciesListPage = lazyNamed(loadDeviceCatalogue, 'PoliciesListPage');
const PolicyFormPage = lazyNamed(loadDeviceCatalogue, 'PolicyFormPage');
const IssuancesPage = lazyNamed(loadDeviceOps, 'IssuancesPage');
const IssuancePage = lazyNamed(loadDeviceOps, 'IssuancePage');
const DevicesListPage = lazyNamed(loadDeviceOps, 'DevicesListPage');
const DevicePage = lazyNamed(loadDeviceOps, 'DevicePage');
const SkziRegisterPage = lazyNamed(loadDeviceOps, 'SkziRegisterPage');
const SmtpSettingsPage = lazyNamed(loadMailSettings, 'SmtpSettingsPage');

/** Home: the dashboard for those who hold a part of it, else the first page the user may open. */
function Home() {
  const { permissions } = usePermissions();
  return showsDashboard(permissions) ? <DashboardPage /> : <HomeRedirect />;
}

function guard(permission: Permission, node: ReactNode) {
  return <RequirePermission permission={permission}>{node}</RequirePermission>;
}

/** CRUD routes of one section: list, new, edit. */
function crud(path: string, read: Permission, write: Permission, List: ComponentType, Form: ComponentType) {
  return [
    <Route key={path} path={path} element={guard(read, <List />)} />,
    <Route key={`${path}/new`} path={`${path}/new`} element={guard(write, <Form />)} />,
    <Route key={`${path}/:id`} path={`${path}/:id`} element={guard(read, <Form />)} />,
  ];
}

export function AppRoutes() {
  return (
    <Suspense fallback={<PageSpinner />}>
      <UnauthenticatedRedirect />
      <StepUpHost />
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route element={<RequireAuth />}>
          <Route element={<AppLayout />}>
            <Route index element={<Home />} />
            {crud('providers', 'providers.read', 'providers.write', ProvidersListPage, ProviderFormPage)}
            {crud('users', 'users.read', 'users.write', UsersListPage, UserFormPage)}
            {crud('groups', 'users.read', 'users.write', GroupsListPage, GroupFormPage)}
            {crud('user-types', 'users.read', 'users.write', UserTypesListPage, UserTypeFormPage)}
            {crud('access-schema', 'users.read', 'users.write', AttributesListPage, AttributeFormPage)}
            <Route path="licence" element={guard('users.read', <LicencePage />)} />
            <Route path="audit" element={guard('audit.read', <AuditLogPage />)} />
            <Route path="access-tokens" element={guard('apiTokens.read', <AccessTokensPage />)} />
            <Route path="personal-tokens" element={guard('selfservice', <PersonalTokensPage />)} />
            <Route path="security" element={<SecurityPage />} />
            <Route path="self-service" element={guard('selfservice', <SelfServicePage />)} />
            {crud('systems', 'certificates.read', 'certificates.write', SystemsListPage, SystemFormPage)}
            <Route path="ca" element={guard('certificates.read', <CAPage />)} />
            <Route path="cabinet" element={guard('cabinet', <CabinetListPage />)} />
            <Route path="cabinet/:id" element={guard('cabinet', <CabinetSystemPage />)} />
            {crud('device-types', 'devices.read', 'devices.write', DeviceTypesListPage, DeviceTypeFormPage)}
            {crud('certificate-templates', 'devices.read', 'devices.write', TemplatesListPage, TemplateFormPage)}
            {crud('device-policies', 'devices.read', 'devices.write', PoliciesListPage, PolicyFormPage)}
            <Route path="issuances" element={guard('devices.read', <IssuancesPage />)} />
            <Route path="issuances/:id" element={guard('devices.read', <IssuancePage />)} />
            <Route path="devices" element={guard('devices.read', <DevicesListPage />)} />
            <Route path="devices/:id" element={guard('devices.read', <DevicePage />)} />
            <Route path="skzi-register" element={guard('devices.read', <SkziRegisterPage />)} />
            <Route path="mail-settings" element={guard('settings.write', <SmtpSettingsPage />)} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Route>
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Suspense>
  );
}
