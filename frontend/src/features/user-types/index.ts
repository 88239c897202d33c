export { UserTypesListPage } from './pages/UserTypesListPage';
export { UserTypeFormPage } from './pages/UserTypeFormPage';
