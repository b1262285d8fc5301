import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ready as readyCore } from "../../../../shared/crypto/index.ts";
import { generateIdentityKeyPair, openOrgKey, ready } from "../../../../shared/crypto/staff/index.ts";
import { encodeBase64url } from "../../../../console/src/crypto/base64url.ts";
import { bytes, loggedInAt, makeAccount, member, NOW, sessionFor } from "../support/app-harness.tsx";

describe("sharing the org key between admins (console)", () => {
  beforeAll(async () => {
    await Promise.all([ready(), readyCore()]);
  });
  afterEach(() => {
    cleanup();
    location.hash = "";
  });

  it("offers 'Share root key' for other certified admins only and posts a share the recipient can open", async () => {
    const amina = await makeAccount("amina", "correct horse battery staple", "admin", true);
    const bilal = generateIdentityKeyPair();
    const posted: unknown[] = [];
    const staff = [
      member({ id: "amina-id" as never, username: "amina", displayName: "Amina", role: "admin" }),
      member({
        id: "dina-id" as never,
        username: "dina",
        displayName: "Dina",
        role: "admin",
        identityPublicKey: encodeBase64url(generateIdentityKeyPair().publicKey),
        orgKey: "held",
      }),
      member({
        id: "bilal-id" as never,
        username: "bilal",
        displayName: "Bilal",
        role: "admin",
        identityPublicKey: encodeBase64url(bilal.publicKey),
      }),
      member({
        id: "carla-id" as never,
        username: "carla",
        displayName: "Carla",
        identityPublicKey: encodeBase64url(generateIdentityKeyPair().publicKey),
      }),
    ];
    await loggedInAt(amina, "#/admin/staff", {
      "GET /api/admin/staff": { status: 200, body: { staff } },
      "POST /api/admin/staff/bilal-id/org-key": (body) => {
        posted.push(body);
        return { status: 204 };
      },
    });
    const table = await screen.findByRole("table", { name: "Staff" });
    const row = (name: RegExp) => within(table).getByRole("row", { name });
    expect(within(row(/Amina/)).queryByRole("button", { name: "Share root key" })).toBeNull();
    expect(within(row(/Carla/)).queryByRole("button", { name: "Share root key" })).toBeNull();
    expect(within(row(/Dina/)).queryByRole("button", { name: "Share root key" })).toBeNull();
    fireEvent.click(within(row(/Bilal/)).getByRole("button", { name: "Share root key" }));
    await waitFor(() => expect(posted).toHaveLength(1));
    const sealed = bytes((posted[0] as { sealed: string }).sealed);
    const opened = openOrgKey(sealed, {
      recipientPublicKey: bilal.publicKey,
      recipientSecretKey: bilal.secretKey,
      orgPublicKey: bytes(amina.orgPublicKey),
      nowMs: NOW,
    });
    if (!opened.ok) throw new Error(opened.error);
    expect(opened.value.subarray(32)).toEqual(bytes(amina.orgPublicKey));
  });

  it("at login, adopts a pending share: stores its own wrapped copy and can certify", async () => {
    // An admin whose own keyring holds the org key seals it to its own identity, standing in for
    // a colleague; the account then logs in with only the sealed copy.
    const made = await makeAccount("bilal", "bilal's long passphrase", "admin", false);
    const signer = made.orgSignerCrypto;
    const set = await signer.call({ type: "set-certificate", certificate: bytes(made.certificate) });
    if (!set.ok) throw new Error(set.error);
    const sealed = await signer.call({
      type: "seal-org-key",
      recipientPublicKey: bytes(made.identityPublicKey),
    });
    if (!sealed.ok) throw new Error(sealed.error);
    const pending = { ...sessionFor(made) };
    const withPending = {
      ...pending,
      keys: { ...pending.keys, pendingOrgKey: encodeBase64url(sealed.value.sealed) },
    };
    const puts: unknown[] = [];
    await loggedInAt(made, "#/admin/staff", {
      "POST /api/auth/login": { status: 200, body: withPending },
      "PUT /api/auth/org-key": (body) => {
        puts.push(body);
        return { status: 200, body: pending };
      },
      "GET /api/admin/staff": { status: 200, body: { staff: [] } },
    });
    await waitFor(() => expect(puts).toHaveLength(1));
    expect(bytes((puts[0] as { wrappedOrgKey: string }).wrappedOrgKey)).toHaveLength(105);
    await screen.findByRole("table", { name: "Staff" });
    expect(screen.queryByText(/does not hold the helpline's root key/)).toBeNull();
  });

  it("without a share, the admin still sees that it cannot certify", async () => {
    const made = await makeAccount("zara", "zara's long passphrase", "admin", false);
    await loggedInAt(made, "#/admin/staff", { "GET /api/admin/staff": { status: 200, body: { staff: [] } } });
    expect(await screen.findByText(/does not hold the helpline's root key/)).toBeTruthy();
  });
});
