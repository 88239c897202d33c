export { GroupsListPage } from './pages/GroupsListPage';
export { GroupFormPage } from './pages/GroupFormPage';
