// The pages' strings come with this chunk (not the login route's).
import '../../i18n/sections/devices';

export { SmtpSettingsPage } from './pages/SmtpSettingsPage';
