// The signed-in person's second factors: the authenticator app (TOTP) and recovery codes.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { definitions } from "../../../api/schema";
import { http } from "../../../api/http";
import { meQueryKey } from "../../../api/auth";

export type FactorStatus = definitions["FactorStatus"];
export type TOTPEnrolment = definitions["TOTPEnrolment"];
export type RecoveryCodes = definitions["RecoveryCodes"];
export type RemoveFactorInput = definitions["RemoveFactorInput"];

const factorsKey = ["me", "factors"] as const;

/** lastRequiredFactor: the person's group requires a second factor and this is their only one. */
export function lastRequiredFactor(f: FactorStatus | undefined): boolean {
  return !!f?.policy?.required && (f.totp ? 1 : 0) + (f.passkeys ?? 0) === 1;
}

/** useFactors reads GET /me/factors. */
export function useFactors() {
  return useQuery({
    queryKey: factorsKey,
    queryFn: () => http.get<FactorStatus>("/me/factors"),
  });
}

function useFactorMutation<I, O>(fn: (input: I) => Promise<O>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: factorsKey }),
        // The second-factor policy's standing (banner, enrolment-only session) follows.
        qc.invalidateQueries({ queryKey: meQueryKey }),
        qc.invalidateQueries({ queryKey: ["audit"] }),
      ]),
  });
}

/** useStartTotp makes a new key (POST /me/factors/totp). */
export function useStartTotp() {
  return useFactorMutation(() => http.post<TOTPEnrolment>("/me/factors/totp"));
}

/** useConfirmTotp activates the key with a first code and answers the recovery codes once. */
export function useConfirmTotp() {
  return useFactorMutation((code: string) =>
    http.post<RecoveryCodes>("/me/factors/totp/confirm", { code })
  );
}

/** useRemoveTotp removes the app after a current code or the password. */
export function useRemoveTotp() {
  return useFactorMutation((input: RemoveFactorInput) =>
    http.delete<void>("/me/factors/totp", { body: input })
  );
}

/** useRegenerateCodes replaces the recovery codes after a current code. */
export function useRegenerateCodes() {
  return useFactorMutation((code: string) =>
    http.post<RecoveryCodes>("/me/factors/recovery-codes", { code })
  );
}

export type Passkey = definitions["Passkey"];

const passkeysKey = ["me", "factors", "passkeys"] as const;

/** usePasskeys lists the caller's passkeys (GET /me/factors/passkeys). */
export function usePasskeys() {
  return useQuery({
    queryKey: passkeysKey,
    queryFn: () => http.get<Passkey[]>("/me/factors/passkeys"),
  });
}

/**
 * useAddPasskey registers a passkey: the server's options go to the browser
 * (navigator.credentials.create through @simplewebauthn/browser) and its answer back.
 */
export function useAddPasskey() {
  return useFactorMutation(async (name: string) => {
    const { startRegistration } = await import("@simplewebauthn/browser");
    const begin = await http.post<{ ceremony: string; options: unknown }>(
      "/me/factors/passkeys/begin"
    );
    const credential = await startRegistration({
      optionsJSON: begin.options as never,
    });
    return http.post<Passkey>("/me/factors/passkeys", {
      ceremony: begin.ceremony,
      name,
      credential,
    });
  });
}

/** useRenamePasskey renames a passkey. */
export function useRenamePasskey() {
  return useFactorMutation(({ id, name }: { id: string; name: string }) =>
    http.patch<Passkey>(`/me/factors/passkeys/${encodeURIComponent(id)}`, {
      name,
    })
  );
}

/** useRemovePasskey removes a passkey. */
export function useRemovePasskey() {
  return useFactorMutation((id: string) =>
    http.delete<void>(`/me/factors/passkeys/${encodeURIComponent(id)}`)
  );
}
