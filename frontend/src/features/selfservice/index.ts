// Self-service («Сервис самообслуживания»): its strings come with this chunk.
import '../../i18n/sections/selfservice';

export { SelfServicePage } from './pages/SelfServicePage';
