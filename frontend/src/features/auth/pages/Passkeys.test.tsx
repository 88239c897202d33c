import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import {
  currentUrl,
  jsonResponse,
  mockApi,
  renderApp,
} from "../../../test/render";
import { makeMe } from "../../../test/fixtures";
import { TID } from "../../../testids";

const webauthn = vi.hoisted(() => ({
  startRegistration: vi.fn(),
  startAuthentication: vi.fn(),
}));
vi.mock("@simplewebauthn/browser", () => webauthn);

const unauthenticated = () =>
  jsonResponse(
    { status: 401, code: "auth.unauthenticated", detail: "no session" },
    401
  );

beforeEach(() => {
  webauthn.startRegistration.mockReset();
  webauthn.startAuthentication.mockReset();
});

describe("Security page passkeys", () => {
  it("lists, adds under a name, renames and removes passkeys", async () => {
    document.cookie = "custos_csrf=t";
    type K = {
      id: string;
      name: string;
      transports: string[];
      aaguid: string;
      backed_up: boolean;
      created_at: string;
    };
    let keys: K[] = [
      {
        id: "k1",
        name: "Laptop",
        transports: ["internal"],
        aaguid: "",
        backed_up: false,
        created_at: "2026-12-01T10:00:00Z",
      },
    ];
    webauthn.startRegistration.mockResolvedValue({
      id: "cred",
      type: "public-key",
    });
    const calls = mockApi(({ method, path, body }) => {
      if (path === "/auth/me") return jsonResponse(makeMe(["selfservice"]));
      if (method === "GET" && path === "/me/factors")
        return jsonResponse({
          totp: false,
          totp_pending: false,
          recovery_codes_left: 0,
          passkeys: keys.length,
        });
      if (method === "GET" && path === "/me/factors/passkeys")
        return jsonResponse(keys);
      if (method === "POST" && path === "/me/factors/passkeys/begin")
        return jsonResponse({ ceremony: "c-1", options: { challenge: "abc" } });
      if (method === "POST" && path === "/me/factors/passkeys") {
        const k = {
          id: "k2",
          name: (body as { name: string }).name,
          transports: [],
          aaguid: "",
          backed_up: true,
          created_at: "2026-12-02T10:00:00Z",
        };
        keys = [...keys, k];
        return jsonResponse(k, 201);
      }
      if (method === "PATCH" && path === "/me/factors/passkeys/k1") {
        keys = [
          { ...keys[0], name: (body as { name: string }).name } as K,
          ...keys.slice(1),
        ];
        return jsonResponse(keys[0]);
      }
      if (method === "DELETE" && path === "/me/factors/passkeys/k2") {
        keys = keys.filter((k) => k.id !== "k2");
        return new Response(null, { status: 204 });
      }
      return undefined;
    });
    renderApp("/security");
    const card = await screen.findByTestId(TID.securityPasskeys);
    expect(await within(card).findByText("Laptop")).toBeInTheDocument();
    expect(within(card).getByText(/never used/)).toBeInTheDocument();

    fireEvent.change(within(card).getByLabelText("Name of the new passkey"), {
      target: { value: "YubiKey" },
    });
    fireEvent.click(
      within(card).getByRole("button", { name: "Add a passkey" })
    );
    expect(
      await screen.findByText("The passkey was added.")
    ).toBeInTheDocument();
    expect(await within(card).findByText("YubiKey")).toBeInTheDocument();
    expect(within(card).getByText("synced")).toBeInTheDocument();
    expect(webauthn.startRegistration).toHaveBeenCalledWith({
      optionsJSON: { challenge: "abc" },
    });
    expect(
      calls.find(
        (c) => c.method === "POST" && c.path === "/me/factors/passkeys"
      )?.body
    ).toEqual({
      ceremony: "c-1",
      name: "YubiKey",
      credential: { id: "cred", type: "public-key" },
    });

    fireEvent.click(
      within(card).getByRole("button", { name: "Rename Laptop" })
    );
    const dialog = await screen.findByRole("dialog");
    fireEvent.change(within(dialog).getByLabelText("Name of the new passkey"), {
      target: { value: "Work laptop" },
    });
    fireEvent.click(within(dialog).getByRole("button", { name: "Save" }));
    expect(await within(card).findByText("Work laptop")).toBeInTheDocument();

    fireEvent.click(
      within(card).getByRole("button", { name: "Remove YubiKey" })
    );
    fireEvent.click(await screen.findByRole("button", { name: "Remove" }));
    expect(
      await screen.findByText("The passkey was removed.")
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(within(card).queryByText("YubiKey")).not.toBeInTheDocument()
    );
  }, 60_000);

  it("says so when the browser creates no passkey", async () => {
    document.cookie = "custos_csrf=t";
    webauthn.startRegistration.mockRejectedValue(
      Object.assign(new Error("cancelled"), { name: "NotAllowedError" })
    );
    const calls = mockApi(({ method, path }) => {
      if (path === "/auth/me") return jsonResponse(makeMe(["selfservice"]));
      if (method === "GET" && path === "/me/factors")
        return jsonResponse({
          totp: false,
          totp_pending: false,
          recovery_codes_left: 0,
          passkeys: 0,
        });
      if (method === "GET" && path === "/me/factors/passkeys")
        return jsonResponse([]);
      if (method === "POST" && path === "/me/factors/passkeys/begin")
        return jsonResponse({ ceremony: "c-1", options: {} });
      return undefined;
    });
    renderApp("/security");
    const card = await screen.findByTestId(TID.securityPasskeys);
    expect(
      await within(card).findByText("No passkeys yet.")
    ).toBeInTheDocument();
    fireEvent.click(
      within(card).getByRole("button", { name: "Add a passkey" })
    );
    expect(
      await screen.findByText(
        "The browser did not create a passkey (cancelled or not supported)."
      )
    ).toBeInTheDocument();
    expect(
      calls.filter(
        (c) => c.method === "POST" && c.path === "/me/factors/passkeys"
      )
    ).toHaveLength(0);
  });
});

describe("LoginPage passkeys", () => {
  it("signs in without a password with a passkey", async () => {
    document.cookie = "custos_csrf=t";
    let signedIn = false;
    webauthn.startAuthentication.mockResolvedValue({
      id: "cred",
      type: "public-key",
      response: {},
    });
    const calls = mockApi(({ method, path }) => {
      if (path === "/auth/me")
        return signedIn
          ? jsonResponse(makeMe(["audit.read"]))
          : unauthenticated();
      if (method === "POST" && path === "/auth/passkey/begin")
        return jsonResponse({ ceremony: "c-9", options: { challenge: "xyz" } });
      if (method === "POST" && path === "/auth/passkey/finish") {
        signedIn = true;
        return jsonResponse(makeMe(["audit.read"]));
      }
      if (path === "/audit")
        return jsonResponse({ items: [], total: 0, page: 1, page_size: 20 });
      return undefined;
    });
    renderApp("/login?next=/audit");
    fireEvent.click(
      await screen.findByRole("button", { name: "Sign in with a passkey" })
    );
    await waitFor(() => expect(currentUrl().pathname).toBe("/audit"));
    expect(webauthn.startAuthentication).toHaveBeenCalledWith({
      optionsJSON: { challenge: "xyz" },
    });
    expect(calls.find((c) => c.path === "/auth/passkey/finish")?.body).toEqual({
      ceremony: "c-9",
      credential: { id: "cred", type: "public-key", response: {} },
    });
  });

  it("shows a refused passkey and stays on the page", async () => {
    document.cookie = "custos_csrf=t";
    webauthn.startAuthentication.mockResolvedValue({ id: "cred" });
    mockApi(({ method, path }) => {
      if (path === "/auth/me") return unauthenticated();
      if (method === "POST" && path === "/auth/passkey/begin")
        return jsonResponse({ ceremony: "c-9", options: {} });
      if (method === "POST" && path === "/auth/passkey/finish")
        return jsonResponse(
          { status: 401, code: "webauthn.invalidAssertion" },
          401
        );
      return undefined;
    });
    renderApp("/login");
    fireEvent.click(
      await screen.findByRole("button", { name: "Sign in with a passkey" })
    );
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "The passkey could not be verified."
    );
    expect(currentUrl().pathname).toBe("/login");
  });

  it("answers the password step with a passkey when the account has one", async () => {
    document.cookie = "custos_csrf=t";
    let signedIn = false;
    webauthn.startAuthentication.mockResolvedValue({ id: "cred" });
    const calls = mockApi(({ method, path }) => {
      if (path === "/auth/me")
        return signedIn
          ? jsonResponse(makeMe(["audit.read"]))
          : unauthenticated();
      if (method === "POST" && path === "/auth/login")
        return jsonResponse({
          second_factor: "webauthn",
          second_factors: ["webauthn"],
          challenge: "ch-1",
        });
      if (method === "POST" && path === "/auth/login/second-factor/passkey")
        return jsonResponse({ ceremony: "ch-1", options: { challenge: "q" } });
      if (method === "POST" && path === "/auth/login/second-factor") {
        signedIn = true;
        return jsonResponse(makeMe(["audit.read"]));
      }
      if (path === "/audit")
        return jsonResponse({ items: [], total: 0, page: 1, page_size: 20 });
      return undefined;
    });
    renderApp("/login?next=/audit");
    fireEvent.change(await screen.findByLabelText("Login"), {
      target: { value: "anna" },
    });
    fireEvent.change(screen.getByLabelText("Password"), {
      target: { value: "pw-1" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(
      await screen.findByText("Confirm the sign-in with one of your passkeys.")
    ).toBeInTheDocument();
    expect(screen.queryByLabelText("Code")).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Use a passkey" }));
    await waitFor(() => expect(currentUrl().pathname).toBe("/audit"));
    expect(
      calls.find((c) => c.path === "/auth/login/second-factor")?.body
    ).toEqual({ challenge: "ch-1", credential: { id: "cred" } });
  });
});
