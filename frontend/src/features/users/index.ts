export { UsersListPage } from './pages/UsersListPage';
export { UserFormPage } from './pages/UserFormPage';
