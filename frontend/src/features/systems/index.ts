// The pages' strings come with this chunk (not the login route's).
import '../../i18n/sections/systems';

export { SystemsListPage } from './pages/SystemsListPage';
export { SystemFormPage } from './pages/SystemFormPage';
