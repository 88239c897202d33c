// The pages' strings come with this chunk (not the login route's).
import '../../i18n/sections/devices';

export { IssuancesPage } from './pages/IssuancesPage';
export { IssuancePage } from './pages/IssuancePage';
export { DevicesListPage } from './pages/DevicesListPage';
export { DevicePage } from './pages/DevicePage';
export { SkziRegisterPage } from './pages/SkziRegisterPage';
