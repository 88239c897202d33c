// The pages' strings come with this chunk (not the login route's).
import '../../i18n/sections/devices';

export { DeviceTypesListPage } from './pages/DeviceTypesListPage';
export { DeviceTypeFormPage } from './pages/DeviceTypeFormPage';
export { TemplatesListPage } from './pages/TemplatesListPage';
export { TemplateFormPage } from './pages/TemplateFormPage';
export { PoliciesListPage } from './pages/PoliciesListPage';
export { PolicyFormPage } from './pages/PolicyFormPage';
