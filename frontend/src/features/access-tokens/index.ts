export { AccessTokensPage } from './pages/AccessTokensPage';
export { PersonalTokensPage } from './pages/PersonalTokensPage';
// The user card shows a person's tokens with this tab (the users feature imports it here).
export { UserTokensTab } from './components/UserTokensTab';
// The clipboard helper of the one-time reveal, reused by the systems feature's webhook secret.
