export { LoginPage } from './pages/LoginPage';
export { ChangePasswordDialog } from './components/ChangePasswordDialog';
export { useLogoutAll } from './api/sessions';
