export { LoginPage } from './pages/LoginPage';
export { SecurityPage } from './pages/SecurityPage';
export { ChangePasswordDialog } from './components/ChangePasswordDialog';
export { useLogoutAll } from './api/sessions';
export { StepUpDialog } from './components/StepUpDialog';
