import * as v from "valibot";
import { beforeAll, describe, expect, it } from "vitest";
import { counselorAccept } from "../../../../shared/crypto/index.ts";
import { signRevocationList } from "../../../../shared/crypto/staff/index.ts";
import { SessionIdSchema } from "../../../../shared/protocol/ids.ts";
import { decodeBase64url } from "../../../../widget/frame/adapters/revocations.ts";
import {
  type Counselor,
  certify,
  cryptoReady,
  makeOrg,
  mustOk,
  NOW,
  SESSION_ID,
} from "../../../support/crypto-kit.ts";
import { workerPair } from "./worker-pair.ts";

const sessionId = v.parse(SessionIdSchema, SESSION_ID);

beforeAll(cryptoReady);

/** A survivor's worker with the org key, and an accept from `counselor` for a fresh key. */
async function acceptFrom(client: ReturnType<typeof workerPair>["client"], counselor: Counselor) {
  const key = mustOk(await client.newKey());
  return mustOk(
    counselorAccept({
      sessionId,
      epoch: 0,
      survivorPublicKey: key,
      identitySecretKey: counselor.identity.secretKey,
      certificate: counselor.certificate,
    }),
  ).handshake;
}

describe("crypto worker: revocation list", () => {
  it("refuses a revoked counselor's valid certificate, even when the relay forwards the accept", async () => {
    const org = makeOrg();
    const revoked = certify(org);
    const { client } = workerPair();
    await client.init(org.publicKey);
    const list = mustOk(
      signRevocationList(org.secretKey, { issuedAt: NOW - 1000, revokedKeys: [revoked.identity.publicKey] }),
    );
    expect(await client.revocations(list, NOW)).toEqual({ ok: true, value: null });
    const handshake = await acceptFrom(client, revoked);
    expect(await client.complete(sessionId, 0, handshake, NOW)).toEqual({
      ok: false,
      error: "handshake-failed",
    });
    // Someone not on the list is still accepted by the same worker.
    const other = certify(org, { displayName: "Sana" });
    const ready = await client.complete(sessionId, 0, await acceptFrom(client, other), NOW);
    expect(ready.ok && ready.value.counselorName).toBe("Sana");
  });

  it("rejects a list signed by another key, and a list from the future", async () => {
    const org = makeOrg();
    const counselor = certify(org);
    const { client } = workerPair();
    await client.init(org.publicKey);
    const forged = mustOk(
      signRevocationList(makeOrg().secretKey, { issuedAt: NOW, revokedKeys: [counselor.identity.publicKey] }),
    );
    expect(await client.revocations(forged, NOW)).toEqual({ ok: false, error: "bad-revocations" });
    const future = mustOk(
      signRevocationList(org.secretKey, {
        issuedAt: NOW + 86_400_000,
        revokedKeys: [counselor.identity.publicKey],
      }),
    );
    expect(await client.revocations(future, NOW)).toEqual({ ok: false, error: "bad-revocations" });
    // Neither took effect.
    expect((await client.complete(sessionId, 0, await acceptFrom(client, counselor), NOW)).ok).toBe(true);
  });

  it("keeps the newest list: an older (replayed) list cannot un-revoke", async () => {
    const org = makeOrg();
    const revoked = certify(org);
    const { client } = workerPair();
    await client.init(org.publicKey);
    const newer = mustOk(
      signRevocationList(org.secretKey, { issuedAt: NOW - 1000, revokedKeys: [revoked.identity.publicKey] }),
    );
    const older = mustOk(signRevocationList(org.secretKey, { issuedAt: NOW - 5000, revokedKeys: [] }));
    expect((await client.revocations(newer, NOW)).ok).toBe(true);
    expect((await client.revocations(older, NOW)).ok).toBe(true);
    expect((await client.complete(sessionId, 0, await acceptFrom(client, revoked), NOW)).ok).toBe(false);
  });

  it("needs the org key first", async () => {
    const org = makeOrg();
    const { client } = workerPair();
    const list = mustOk(signRevocationList(org.secretKey, { issuedAt: NOW, revokedKeys: [] }));
    expect(await client.revocations(list, NOW)).toEqual({ ok: false, error: "not-ready" });
  });
});

describe("decodeBase64url", () => {
  it("decodes unpadded base64url to the exact bytes", () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (const length of [1, 2, 3, 4, 255, 256]) {
      const slice = bytes.slice(0, length);
      const text = Buffer.from(slice).toString("base64url");
      expect(decodeBase64url(text)).toEqual(slice);
    }
  });
});
