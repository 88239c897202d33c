export { FormActions } from './FormActions';
export { VersionConflictAlert } from './VersionConflictAlert';
export { useEntityForm, type EntityFormOptions } from './useEntityForm';
export { EntityFormShell } from './EntityFormShell';
