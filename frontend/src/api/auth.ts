// Session hooks shared by the shell and every feature: who is signed in and what they may do.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, http } from "./http";
import type { Me, Permission } from "./types";

export const meQueryKey = ["auth", "me"] as const;

/**
 * fetchMe reads the signed-in person. On the mTLS entry a browser presenting an integrated
 * system's certificate is that system (no user) until a person signs in; the console is for
 * people, so that answer counts as signed out and the login page shows (seed 000's flow).
 */
export async function fetchMe(): Promise<Me> {
  const me = await http.get<Me>("/auth/me", { skipAuthRedirect: true });
  if (!me.user?.id)
    throw new ApiError({
      status: 401,
      code: "auth.unauthenticated",
      detail: "No person is signed in.",
    });
  return me;
}

/** useMe reads GET /auth/me; a 401 surfaces as an error, not a redirect loop. */
export function useMe() {
  return useQuery({
    queryKey: meQueryKey,
    queryFn: fetchMe,
    retry: false,
    staleTime: 60_000,
  });
}

/** usePermissions answers "may the signed-in user do X" from /auth/me (the server stays the judge). */
export function usePermissions() {
  const { data } = useMe();
  const set = new Set(data?.permissions ?? []);
  return {
    has: (p: Permission) => set.has(p),
    permissions: set,
  };
}

export interface LoginInput {
  login: string;
  password: string;
}

/** SecondFactorChallenge is the answer to a right password of an account with a second factor. */
export interface SecondFactorChallenge {
  /** The factor to ask first: "totp" when an authenticator app is set up, else "webauthn". */
  second_factor: "totp" | "webauthn";
  /** Every factor the account can give. */
  second_factors?: ("totp" | "webauthn")[];
  challenge: string;
}

/** isChallenge tells the password step's challenge from a signed-in caller. */
export function isChallenge(
  r: Me | SecondFactorChallenge
): r is SecondFactorChallenge {
  return typeof (r as SecondFactorChallenge).challenge === "string";
}

/** useLogin posts the password step; an account with a second factor answers a challenge instead of Me. */
export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: LoginInput) =>
      http.post<Me | SecondFactorChallenge>("/auth/login", input, {
        skipAuthRedirect: true,
      }),
    onSuccess: (r) => {
      if (isChallenge(r)) return;
      qc.clear();
      qc.setQueryData(meQueryKey, r);
    },
  });
}

/** SecondFactorInput completes a sign-in: the challenge with a code or a recovery code. */
export interface SecondFactorInput {
  challenge: string;
  code?: string;
  recovery_code?: string;
  /** A passkey's assertion (AuthenticationResponseJSON). */
  credential?: unknown;
}

interface PasskeyRequest {
  ceremony: string;
  options: unknown;
}

/** passkeyAssertion asks the browser's passkeys to answer request options. */
async function passkeyAssertion(options: unknown): Promise<unknown> {
  const { startAuthentication } = await import("@simplewebauthn/browser");
  return startAuthentication({ optionsJSON: options as never });
}

/** usePasskeySecondFactor answers a password step's challenge with a passkey. */
export function usePasskeySecondFactor() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (challenge: string) => {
      const r = await http.post<PasskeyRequest>(
        "/auth/login/second-factor/passkey",
        { challenge },
        { skipAuthRedirect: true }
      );
      const credential = await passkeyAssertion(r.options);
      return http.post<Me>(
        "/auth/login/second-factor",
        { challenge, credential },
        { skipAuthRedirect: true }
      );
    },
    onSuccess: (me) => {
      qc.clear();
      qc.setQueryData(meQueryKey, me);
    },
  });
}

/** usePasskeyLogin signs in without a password with a discoverable passkey (POST /auth/passkey/begin, /finish). */
export function usePasskeyLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (rememberMe: boolean) => {
      const r = await http.post<PasskeyRequest>(
        "/auth/passkey/begin",
        undefined,
        { skipAuthRedirect: true }
      );
      const credential = await passkeyAssertion(r.options);
      return http.post<Me>(
        "/auth/passkey/finish",
        {
          ceremony: r.ceremony,
          credential,
          ...(rememberMe ? { remember_me: true } : {}),
        },
        { skipAuthRedirect: true }
      );
    },
    onSuccess: (me) => {
      qc.clear();
      qc.setQueryData(meQueryKey, me);
    },
  });
}

/** useSecondFactor completes the sign-in with the second factor (POST /auth/login/second-factor). */
export function useSecondFactor() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: SecondFactorInput) =>
      http.post<Me>("/auth/login/second-factor", input, {
        skipAuthRedirect: true,
      }),
    onSuccess: (me) => {
      qc.clear();
      qc.setQueryData(meQueryKey, me);
    },
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () =>
      http.post<void>("/auth/logout", undefined, { skipAuthRedirect: true }),
    onSettled: () => {
      qc.clear();
    },
  });
}

/** SignInButton is one "sign in with…" button: an active OpenID provider. */
export interface SignInButton {
  id: string;
  label: string;
}

/** useSignInButtons reads the public GET /auth/providers (the login page's buttons). */
export function useSignInButtons() {
  return useQuery({
    queryKey: ["auth", "providers"],
    queryFn: () =>
      http.get<SignInButton[]>("/auth/providers", { skipAuthRedirect: true }),
    staleTime: 60_000,
    retry: false,
  });
}

/** oidcStartUrl is where a provider's button sends the browser (a full navigation, not a fetch). */
export function oidcStartUrl(providerId: string, next: string): string {
  const q = next && next !== "/" ? `?next=${encodeURIComponent(next)}` : "";
  return `/api/v1/auth/oidc/${encodeURIComponent(providerId)}/start${q}`;
}
