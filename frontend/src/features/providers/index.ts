export { ProvidersListPage } from './pages/ProvidersListPage';
export { ProviderFormPage } from './pages/ProviderFormPage';
