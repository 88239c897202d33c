// The login route's own entry: the login page alone, so that the route does not also
// load the security page and its tables (the login JavaScript budget, SPEC §9).
export { LoginPage } from './pages/LoginPage';
