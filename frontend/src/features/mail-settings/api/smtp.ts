// The outgoing mail server (GET/PUT /settings/smtp) and the test mail.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { http } from '../../../api/http';
import type { definitions } from '../../../api/schema';

export type SmtpSettings = definitions['SMTPSettings'];
export type SmtpInput = definitions['SMTPSettingsInput'];
export type TlsMode = SmtpSettings['tls_mode'];
export const TLS_MODES: readonly TlsMode[] = ['starttls', 'tls', 'none'];

const KEY = ['settings', 'smtp'];

export function useSmtp() {
  return useQuery({ queryKey: KEY, queryFn: ({ signal }) => http.get<SmtpSettings>('/settings/smtp', { signal }) });
}

export function useSaveSmtp() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SmtpInput) => http.put<SmtpSettings>('/settings/smtp', body),
    onSuccess: async (s) => {
      qc.setQueryData(KEY, s);
      await qc.invalidateQueries({ queryKey: ['audit'] });
    },
  });
}

export function useTestSmtp() {
  return useMutation({ mutationFn: (to: string) => http.post<definitions['SMTPTestResult']>('/settings/smtp/test', { to }) });
}
