import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeAcceptBlob } from "../../shared/crypto/accept-blob.ts";
import {
  createSurvivorHandshake,
  openHandoverNote,
  verifyCertificate,
  verifyRevocationList,
} from "../../shared/crypto/index.ts";
import { generateOrgKeyPair, signRevocationList, unwrapSecretKey } from "../../shared/crypto/staff/index.ts";
import { decodeCertificate } from "../../shared/protocol/certificate.ts";
import type { StaffId } from "../../shared/protocol/ids.ts";
import { decodeRevocationList } from "../../shared/protocol/revocation.ts";
import { certify, cryptoReady, mustOk, NOW, SESSION_ID } from "../support/crypto-kit.ts";

beforeAll(cryptoReady);

/** Arbitrary bytes, and valid encodings with a few bytes changed, cut or appended. */
function mutated(valid: Uint8Array) {
  return fc.oneof(
    fc.uint8Array({ maxLength: 1200 }),
    fc
      .tuple(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        fc.nat(),
        fc.uint8Array({ maxLength: 8 }),
      )
      .map(([edits, cut, tail]) => {
        const out = valid.slice(0, valid.length - (cut % 3));
        for (const [at, value] of edits) out[at % out.length] = value;
        return new Uint8Array([...out, ...(cut % 5 === 0 ? tail : [])]);
      }),
  );
}

describe("decoders and verifiers never throw (property)", () => {
  it("certificates", () => {
    const org = generateOrgKeyPair();
    const valid = certify(org).certificate;
    fc.assert(
      fc.property(mutated(valid), (bytes) => {
        const decoded = decodeCertificate(bytes);
        expect(decoded.ok || decoded.error === "bad-encoding").toBe(true);
        const verified = verifyCertificate(bytes, org.publicKey, NOW);
        // A changed byte can never produce a valid certificate other than the original.
        if (verified.ok) expect(bytes).toEqual(valid);
      }),
      { numRuns: 200 },
    );
  });

  it("revocation lists", () => {
    const org = generateOrgKeyPair();
    const valid = mustOk(
      signRevocationList(org.secretKey, {
        issuedAt: NOW,
        revokedKeys: [new Uint8Array(32).fill(4), new Uint8Array(32)],
      }),
    );
    fc.assert(
      fc.property(mutated(valid), (bytes) => {
        const decoded = decodeRevocationList(bytes);
        expect(decoded.ok || decoded.error === "bad-encoding").toBe(true);
        const verified = verifyRevocationList(bytes, org.publicKey, NOW);
        if (verified.ok) expect(bytes).toEqual(valid);
      }),
      { numRuns: 200 },
    );
  });

  it("accept blobs and the survivor's handshake", () => {
    const org = generateOrgKeyPair();
    const survivor = createSurvivorHandshake();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2100 }), (bytes) => {
        decodeAcceptBlob(bytes);
        const result = survivor.complete(bytes, {
          sessionId: SESSION_ID,
          epoch: 0,
          orgPublicKey: org.publicKey,
          nowMs: NOW,
        });
        expect(result.ok).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it("handover notes and wrapped keys", () => {
    const org = generateOrgKeyPair();
    const me = certify(org);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4200 }), (bytes) => {
        const note = openHandoverNote(bytes, {
          sessionId: SESSION_ID,
          recipientPublicKey: me.identity.publicKey,
          recipientSecretKey: me.identity.secretKey,
          orgPublicKey: org.publicKey,
          nowMs: NOW,
        });
        expect(note.ok).toBe(false);
        const unwrapped = unwrapSecretKey(new Uint8Array(32), bytes, {
          purpose: "identity",
          staffId: "s" as StaffId,
        });
        expect(unwrapped.ok).toBe(false);
      }),
      { numRuns: 150 },
    );
  });
});
