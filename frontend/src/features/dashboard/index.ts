import '../../i18n/sections/stats';

export { DashboardPage } from './pages/DashboardPage';
