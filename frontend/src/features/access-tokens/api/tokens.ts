// Tokens API and hooks, for both kinds: the organisation's API tokens (/tokens) and the
// signed-in user's personal access tokens (/me/tokens). Every change also touches the
// audit log, so that is invalidated too.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createCrudHooks, crudApi, type CrudApi } from '../../../api/crud';
import { http } from '../../../api/http';
import type { ApiToken, ApiTokenCreate, ApiTokenUpdate, CreatedApiToken, TokenKind } from './types';

/** TokenResource is what a page needs to manage one kind of token. */
export interface TokenResource {
  kind: TokenKind;
  path: string;
  hooks: ReturnType<typeof createCrudHooks<ApiToken, ApiTokenCreate, ApiTokenUpdate>>;
  create: (body: ApiTokenCreate) => Promise<CreatedApiToken>;
}

function resource(kind: TokenKind, path: string, key: string): TokenResource {
  const api: CrudApi<ApiToken, ApiTokenCreate, ApiTokenUpdate> = crudApi<ApiToken, ApiTokenCreate, ApiTokenUpdate>(path);
  return {
    kind,
    path,
    hooks: createCrudHooks(key, api, ['audit']),
    create: (body) => http.post<CreatedApiToken>(path, body),
  };
}

export const apiTokens = resource('api', '/tokens', 'tokens');
export const personalTokens = resource('personal', '/me/tokens', 'personal-tokens');

function useInvalidate(res: TokenResource) {
  const qc = useQueryClient();
  return () => Promise.all([qc.invalidateQueries({ queryKey: res.hooks.keys.all }), qc.invalidateQueries({ queryKey: ['audit'] })]);
}

/**
 * useCreateToken issues a token. The answer's `token` is the only copy of the secret:
 * it is handed to the caller and never put into the query cache.
 */
export function useCreateToken(res: TokenResource) {
  const invalidate = useInvalidate(res);
  return useMutation({ mutationFn: res.create, onSuccess: invalidate });
}

/** useRevokeToken revokes a token (POST …/{id}/revoke). */
export function useRevokeToken(res: TokenResource) {
  const invalidate = useInvalidate(res);
  return useMutation({
    mutationFn: (id: string) => http.post<ApiToken>(`${res.path}/${encodeURIComponent(id)}/revoke`),
    onSuccess: invalidate,
  });
}
