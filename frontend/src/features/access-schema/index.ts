export { AttributesListPage } from './pages/AttributesListPage';
export { AttributeFormPage } from './pages/AttributeFormPage';
