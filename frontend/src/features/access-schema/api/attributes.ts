import { createCrudHooks, crudApi } from '../../../api/crud';
import type { Attribute, AttributeCreate, AttributeUpdate } from '../../../api/types';

export const attributesApi = crudApi<Attribute, AttributeCreate, AttributeUpdate>('/attributes');
export const attributes = createCrudHooks('attributes', attributesApi, ['audit']);
