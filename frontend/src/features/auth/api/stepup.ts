// Proving the second factor again (step-up): POST /auth/step-up with a code or a recovery
// code, or a passkey through /auth/step-up/passkey/begin and /finish. These requests never
// ask for a step-up themselves.
import { useMutation } from "@tanstack/react-query";
import type { definitions } from "../../../api/schema";
import { http } from "../../../api/http";

export type StepUpResult = definitions["StepUpResult"];
export type StepUpInput = definitions["StepUpInput"];

const opts = { skipStepUp: true, skipAuthRedirect: true };

/** useStepUpCode proves the factor with a current code or a recovery code. */
export function useStepUpCode() {
  return useMutation({
    mutationFn: (input: StepUpInput) => http.post<StepUpResult>("/auth/step-up", input, opts),
  });
}

/** useStepUpPasskey proves the factor with one of the person's passkeys. */
export function useStepUpPasskey() {
  return useMutation({
    mutationFn: async () => {
      const r = await http.post<{ ceremony: string; options: unknown }>("/auth/step-up/passkey/begin", undefined, opts);
      const { startAuthentication } = await import("@simplewebauthn/browser");
      const credential = await startAuthentication({ optionsJSON: r.options as never });
      return http.post<StepUpResult>("/auth/step-up/passkey/finish", { ceremony: r.ceremony, credential }, opts);
    },
  });
}
