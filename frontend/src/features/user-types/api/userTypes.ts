import { createCrudHooks, crudApi } from '../../../api/crud';
import type { UserType, UserTypeCreate, UserTypeUpdate } from '../../../api/types';

export const userTypesApi = crudApi<UserType, UserTypeCreate, UserTypeUpdate>('/user-types');
export const userTypes = createCrudHooks('user-types', userTypesApi, ['audit', 'users']);
