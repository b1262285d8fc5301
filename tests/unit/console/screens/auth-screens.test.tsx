import { fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { verifyCertificate } from "../../../../shared/crypto/index.ts";
import { decodeBase64url } from "../../../../console/src/crypto/base64url.ts";
import {
  type Account,
  loggedInAt,
  loginRoutes,
  mountApp,
  NOW,
  sessionFor,
  adminScreenTests,
} from "../support/app-harness.tsx";

function type(label: string | RegExp, value: string) {
  fireEvent.input(screen.getByLabelText(label), { target: { value } });
}

function bytes(text: string | undefined): Uint8Array {
  if (text === undefined) throw new Error("missing field");
  const r = decodeBase64url(text);
  if (!r.ok) throw new Error("bad base64url");
  return r.value;
}

describe("setup and login screens", () => {
  const amina = adminScreenTests();

  it("first run: makes the org key and the admin in the browser, then self-certifies", async () => {
    let setupBody: { orgPublicKey: string; admin: Record<string, string> } | null = null;
    let certBody: { certificate: string } | null = null;
    const { fetch } = mountApp({
      ...loginRoutes(amina()),
      "GET /api/setup": { status: 200, body: { needed: true } },
      "POST /api/setup": (body) => {
        setupBody = body as typeof setupBody;
        const b = setupBody!;
        const s = sessionFor({
          ...amina(),
          ...b.admin,
          orgPublicKey: b.orgPublicKey,
          certificate: "",
        } as unknown as Account);
        return { status: 201, body: { ...s, keys: { ...s.keys, certificate: null } } };
      },
      "POST /api/admin/staff/amina-id/certificate": (body) => {
        certBody = body as typeof certBody;
        return {
          status: 200,
          body: {
            id: "amina-id",
            username: "amina",
            displayName: "Amina Khan",
            role: "admin",
            state: "certified",
            disabled: false,
            chatLimit: null,
            languages: null,
            identityPublicKey: setupBody!.admin.identityPublicKey,
            certificate: certBody!.certificate,
            createdAt: NOW,
          },
        };
      },
      "GET /api/auth/me": () => {
        const b = setupBody!;
        return {
          status: 200,
          body: sessionFor({
            ...amina(),
            ...b.admin,
            orgPublicKey: b.orgPublicKey,
            certificate: certBody!.certificate,
          } as unknown as Account),
        };
      },
    });
    await screen.findByRole("heading", { name: "Set up Sahara" });
    type("Setup code", "abcd-efgh-jkmn-pqrs ");
    type("Username", "Amina");
    type("Name shown to visitors", "Amina Khan");
    type("New password", "short");
    type("Repeat the password", "short");
    fireEvent.click(screen.getByRole("button", { name: "Create the helpline" }));
    expect(await screen.findByText(/at least 12 characters/)).toBeTruthy();
    expect(screen.getByLabelText("New password").getAttribute("aria-invalid")).toBe("true");

    type("New password", "correct horse battery staple");
    type("Repeat the password", "correct horse battery staple");
    fireEvent.click(screen.getByRole("button", { name: "Create the helpline" }));
    await screen.findByRole("heading", { name: /Waiting/ }, { timeout: 3000 });

    const body = setupBody as unknown as {
      setupCode: string;
      orgPublicKey: string;
      admin: Record<string, string>;
    };
    expect(body.setupCode).toBe("abcd-efgh-jkmn-pqrs");
    expect(body.admin.username).toBe("amina");
    expect(body.admin.salt).toBe(amina().salt);
    expect(Object.keys(body.admin).sort()).toEqual(
      [
        "authKey",
        "displayName",
        "identityPublicKey",
        "salt",
        "username",
        "wrappedIdentityKey",
        "wrappedOrgKey",
      ].sort(),
    );
    // The password never leaves the browser, in any field of any request.
    expect(JSON.stringify(fetch.calls)).not.toContain("correct horse");
    // The self-signed certificate verifies against the new org key and names the admin's identity key.
    const cert = verifyCertificate(
      bytes((certBody as unknown as { certificate: string }).certificate),
      bytes(body.orgPublicKey),
      NOW,
    );
    if (!cert.ok) throw new Error(cert.error);
    expect(cert.value.body.subjectPublicKey).toEqual(bytes(body.admin.identityPublicKey));
    expect(cert.value.body.role).toBe("admin");
    // CSRF token from the setup session goes with the certification request.
    expect(fetch.calls.find((c) => c.path.endsWith("/certificate"))?.headers["X-CSRF-Token"]).toBe(
      "csrf-token-1",
    );
  });

  it("login: a wrong password is refused; the right one unlocks; nothing is stored; locking returns to login", async () => {
    const { fetch, transport } = mountApp(loginRoutes(amina()));
    await screen.findByRole("heading", { name: "Unlock the console" });
    type("Username", "amina");
    type("Password", "not the password");
    fireEvent.click(screen.getByRole("button", { name: "Unlock" }));
    expect(await screen.findByText("Wrong username or password.")).toBeTruthy();

    type("Password", "correct horse battery staple");
    fireEvent.click(screen.getByRole("button", { name: "Unlock" }));
    await screen.findByRole("heading", { name: /Waiting/ }, { timeout: 3000 });
    expect(screen.getByRole("link", { name: "Administration" })).toBeTruthy();
    expect(JSON.stringify(fetch.calls)).not.toContain("correct horse");
    expect(localStorage.length + sessionStorage.length).toBe(0);

    fireEvent.click(screen.getByRole("button", { name: /Lock/ }));
    await screen.findByRole("heading", { name: "Unlock the console" });
    expect(transport.closed).toBe(true);
    await waitFor(() => expect(fetch.calls.some((c) => c.path === "/api/auth/logout")).toBe(true));
  });

  it("enrollment: makes an identity key and sends only wrapped and public values", async () => {
    let enrollBody: Record<string, string> | null = null;
    location.hash = "#/enroll";
    const { fetch } = mountApp({
      ...loginRoutes(amina()),
      "POST /api/enroll": (body) => {
        enrollBody = body as Record<string, string>;
        return { status: 201, body: { staffId: "bilal-id" } };
      },
    });
    await screen.findByRole("heading", { name: "Join the helpline" });
    type("Username", "Bilal");
    type("Invite code", " ABCDEFGH1234 ");
    type("New password", "a different long passphrase");
    // A mistyped repeat is shown at that field, and nothing is sent.
    type("Repeat the password", "a different long passphrase!");
    fireEvent.click(screen.getByRole("button", { name: "Create my account" }));
    await waitFor(() =>
      expect(screen.getByLabelText("Repeat the password").getAttribute("aria-invalid")).toBe("true"),
    );
    expect(screen.getByText("The two passwords differ.")).toBeTruthy();
    expect(enrollBody).toBeNull();
    type("Repeat the password", "a different long passphrase");
    fireEvent.click(screen.getByRole("button", { name: "Create my account" }));
    await screen.findByRole("heading", { name: "Account created" }, { timeout: 3000 });
    const body = enrollBody as unknown as Record<string, string>;
    expect(body.username).toBe("bilal");
    expect(body.inviteCode).toBe("ABCDEFGH1234");
    expect(bytes(body.identityPublicKey)).toHaveLength(32);
    // The salt the server answered for the username (one per username, for ever), not a new one.
    expect(body.salt).toBe(amina().salt);
    expect(JSON.stringify(fetch.calls)).not.toContain("different long");
  });

  it("password change: checks the new password at its field, refuses a wrong current one in words, then re-wraps", async () => {
    const sent: Record<string, string>[] = [];
    await loggedInAt(amina(), "#/chats", {
      "POST /api/auth/password": (body) => {
        sent.push(body as Record<string, string>);
        return (body as { currentAuthKey: string }).currentAuthKey === amina().authKey
          ? { status: 200, body: sessionFor(amina()) }
          : { status: 401, body: { error: "invalid-credentials" } };
      },
    });
    fireEvent.click(screen.getByRole("button", { name: "Change password" }));
    const dialog = await screen.findByRole("dialog", { name: "Change password" });
    const field = (label: string, value: string) =>
      fireEvent.input(within(dialog).getByLabelText(label), { target: { value } });
    const submit = () => fireEvent.click(within(dialog).getByRole("button", { name: "Change password" }));
    field("Current password", "not the password");
    field("New password", "short");
    field("Repeat the password", "short");
    submit();
    await waitFor(() =>
      expect(within(dialog).getByLabelText("New password").getAttribute("aria-invalid")).toBe("true"),
    );
    expect(sent).toEqual([]);

    field("New password", "a new long passphrase");
    field("Repeat the password", "a new long passphrase");
    submit();
    expect((await within(dialog).findByRole("alert")).textContent).toBe(
      "The password did not unlock your keys.",
    );
    expect(sent).toHaveLength(1);

    field("Current password", "correct horse battery staple");
    submit();
    expect((await within(dialog).findByRole("status", {}, { timeout: 3000 })).textContent).toBe(
      "Your password is changed. Other sessions of your account were ended.",
    );
    expect(sent).toHaveLength(2);
    expect(JSON.stringify(sent)).not.toContain("passphrase");
    fireEvent.click(within(dialog).getByRole("button", { name: "Done" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  });

  it("switches to Urdu, right to left", async () => {
    mountApp(loginRoutes(amina()));
    await screen.findByRole("heading", { name: "Unlock the console" });
    fireEvent.change(screen.getByLabelText("Language"), { target: { value: "ur" } });
    await screen.findByRole("heading", { name: "کنسول کھولیں" });
    expect(document.documentElement.dir).toBe("rtl");
    expect(document.documentElement.lang).toBe("ur");
  });
});
