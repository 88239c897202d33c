// Signing in with the client certificate the browser presented on the mTLS entry.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { definitions } from "../../../api/schema";
import { http } from "../../../api/http";
import { meQueryKey } from "../../../api/auth";
import type { Me } from "../../../api/types";

export type CertificateInfo = definitions["CertificateInfo"];

/** usePresentedCertificate reads GET /auth/certificate: whose certificate the browser presented, signing nobody in. */
export function usePresentedCertificate() {
  return useQuery({
    queryKey: ["auth", "certificate"],
    queryFn: ({ signal }) =>
      http.get<CertificateInfo>("/auth/certificate", {
        signal,
        skipAuthRedirect: true,
      }),
    retry: false,
    staleTime: 0,
  });
}

function useSignedIn<I>(fn: (input: I) => Promise<Me>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (me) => {
      qc.clear();
      qc.setQueryData(meQueryKey, me);
    },
  });
}

/** useCertificateLogin signs in with the presented certificate (POST /auth/login/certificate). */
export function useCertificateLogin() {
  return useSignedIn((rememberMe: boolean) =>
    http.post<Me>(
      "/auth/login/certificate",
      rememberMe ? { remember_me: true } : {},
      { skipAuthRedirect: true }
    )
  );
}

/** useCertificateSecondFactor answers a password step's challenge with the presented certificate. */
export function useCertificateSecondFactor() {
  return useSignedIn((challenge: string) =>
    http.post<Me>(
      "/auth/login/second-factor/certificate",
      { challenge },
      { skipAuthRedirect: true }
    )
  );
}
