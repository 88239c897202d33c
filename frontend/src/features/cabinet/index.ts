// The client cabinet's strings come with this chunk: its own, and the certificate strings
// of the systems pages it shares (statuses, the key pair dialog).
import '../../i18n/sections/systems';
import '../../i18n/sections/stats';

export { CabinetListPage } from './pages/CabinetListPage';
export { CabinetSystemPage } from './pages/CabinetSystemPage';
