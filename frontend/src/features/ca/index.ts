// The page's strings come with this chunk (not the login route's).
import '../../i18n/sections/systems';

export { CAPage } from './pages/CAPage';
