// A system's webhooks with their delivery logs (its statistics are read by the shared
// StatsView). Changes to webhooks invalidate the feature's lists.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { http } from '../../../api/http';
import type { ListParams, ListResponse } from '../../../api/types';
import type { definitions } from '../../../api/schema';

export type Webhook = definitions['Webhook'];
export type WebhookWithSecret = definitions['WebhookWithSecret'];
export type WebhookInput = definitions['WebhookInput'];
export type WebhookDelivery = definitions['WebhookDelivery'];

/** WEBHOOK_EVENTS: the events a webhook may subscribe to, in the dialog's order. */
export const WEBHOOK_EVENTS = ['certificate.expiring', 'certificate.revoked', 'certificate.disabled', 'system.disabled', 'system.settings_changed'] as const;

const sys = (id: string) => `/systems/${encodeURIComponent(id)}`;
const hooks = (id: string) => `${sys(id)}/webhooks`;
const hook = (id: string, wid: string) => `${hooks(id)}/${encodeURIComponent(wid)}`;

export function useWebhooks(systemId: string, params: ListParams) {
  return useQuery({
    queryKey: ['systems', 'webhooks', systemId, params],
    queryFn: ({ signal }) => http.get<ListResponse<Webhook>>(hooks(systemId), { query: params, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useDeliveries(systemId: string, webhookId: string, params: ListParams) {
  return useQuery({
    queryKey: ['systems', 'webhooks', systemId, webhookId, 'deliveries', params],
    queryFn: ({ signal }) => http.get<ListResponse<WebhookDelivery>>(`${hook(systemId, webhookId)}/deliveries`, { query: params, signal }),
    placeholderData: keepPreviousData,
  });
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => Promise.all([qc.invalidateQueries({ queryKey: ['systems', 'webhooks'] }), qc.invalidateQueries({ queryKey: ['audit'] })]);
}

/** useSaveWebhook creates (answering the secret once) or patches a webhook with its version. */
export function useSaveWebhook(systemId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ existing, input }: { existing?: Webhook; input: WebhookInput }) =>
      existing
        ? http.patch<Webhook>(hook(systemId, existing.id), { ...input, version: existing.version })
        : http.post<WebhookWithSecret>(hooks(systemId), input),
    onSuccess: invalidate,
  });
}

export function useDeleteWebhook(systemId: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (id: string) => http.delete<void>(hook(systemId, id)), onSuccess: invalidate });
}

export function useRotateSecret(systemId: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (id: string) => http.post<WebhookWithSecret>(`${hook(systemId, id)}/rotate-secret`), onSuccess: invalidate });
}

export function useTestWebhook(systemId: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (id: string) => http.post<WebhookDelivery>(`${hook(systemId, id)}/test`), onSuccess: invalidate });
}

export function useRedeliver(systemId: string, webhookId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (deliveryId: string) => http.post<WebhookDelivery>(`${hook(systemId, webhookId)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`),
    onSuccess: invalidate,
  });
}
