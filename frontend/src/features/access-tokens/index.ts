export { AccessTokensPage } from './pages/AccessTokensPage';
export { PersonalTokensPage } from './pages/PersonalTokensPage';
