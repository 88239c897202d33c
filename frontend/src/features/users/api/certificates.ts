// The client certificates an administrator bound to a user: list, bind (PEM or SHA-256
// fingerprint), unbind.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { definitions } from '../../../api/schema';
import { http } from '../../../api/http';
import type { ListResponse } from '../../../api/types';

export type BoundCertificate = definitions['BoundCertificate'];
export type BindCertificateInput = definitions['BindCertificateInput'];

export const userCertificatesKey = (userId: string) => ['user-certificates', userId] as const;

const path = (userId: string) => `/users/${encodeURIComponent(userId)}/certificates`;

/** useUserCertificates lists the certificates bound to a user, newest first. */
export function useUserCertificates(userId: string) {
  return useQuery({
    queryKey: userCertificatesKey(userId),
    queryFn: ({ signal }) =>
      http.get<ListResponse<BoundCertificate>>(path(userId), { query: { sort: 'created_at', order: 'desc', page_size: 200 }, signal }),
  });
}

function useCertificateMutation<I, O>(userId: string, fn: (input: I) => Promise<O>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: userCertificatesKey(userId) }), qc.invalidateQueries({ queryKey: ['audit'] })]),
  });
}

/** useBindCertificate binds a certificate (POST /users/{id}/certificates). */
export function useBindCertificate(userId: string) {
  return useCertificateMutation(userId, (input: BindCertificateInput) => http.post<BoundCertificate>(path(userId), input));
}

/** useUnbindCertificate unbinds one (DELETE /users/{id}/certificates/{cid}). */
export function useUnbindCertificate(userId: string) {
  return useCertificateMutation(userId, (id: string) => http.delete<void>(`${path(userId)}/${encodeURIComponent(id)}`));
}
