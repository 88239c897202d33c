export { LicencePage } from './pages/LicencePage';
