export { FormActions } from './FormActions';
export { VersionConflictAlert } from './VersionConflictAlert';
export { useCrudFormPage, type CrudFormPage, type CrudFormPageOptions } from './useCrudFormPage';
export { EntityFormShell } from './EntityFormShell';
