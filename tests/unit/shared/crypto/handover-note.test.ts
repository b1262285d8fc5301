import { beforeAll, describe, expect, it } from "vitest";
import { openHandoverNote, sealHandoverNote, verifyRevocationList } from "../../../../shared/crypto/index.ts";
import { generateOrgKeyPair, signRevocationList } from "../../../../shared/crypto/staff/index.ts";
import { decodePayload, encodePayload, handoverPayload } from "../../../../shared/protocol/index.ts";
import {
  MAX_HANDOVER_BYTES,
  MAX_HANDOVER_MESSAGES,
  MAX_HANDOVER_PAYLOAD_BYTES,
} from "../../../../shared/protocol/limits.ts";
import {
  certify,
  cryptoReady,
  DAY,
  mustOk,
  NOW,
  OTHER_SESSION_ID,
  SESSION_ID,
  utf8,
} from "../../../support/crypto-kit.ts";

beforeAll(cryptoReady);

function parties() {
  const org = generateOrgKeyPair();
  const from = certify(org, { staffId: "from-1" as never, displayName: "Ayesha" });
  const to = certify(org, { staffId: "to-2" as never, displayName: "Bilal" });
  return { org, from, to };
}

function seal(p: ReturnType<typeof parties>, note: Uint8Array, sessionId = SESSION_ID) {
  return mustOk(
    sealHandoverNote({
      note,
      sessionId,
      recipientPublicKey: p.to.identity.publicKey,
      senderSecretKey: p.from.identity.secretKey,
      senderCertificate: p.from.certificate,
    }),
  );
}

const openContext = (p: ReturnType<typeof parties>, sessionId = SESSION_ID) => ({
  sessionId,
  recipientPublicKey: p.to.identity.publicKey,
  recipientSecretKey: p.to.identity.secretKey,
  orgPublicKey: p.org.publicKey,
  nowMs: NOW,
});

describe("handover note", () => {
  it("opens for the recipient and names the certified sender", () => {
    const p = parties();
    const opened = mustOk(openHandoverNote(seal(p, utf8("caller prefers Urdu")), openContext(p)));
    expect(opened.note).toEqual(utf8("caller prefers Urdu"));
    expect(opened.from).toEqual({ staffId: "from-1", displayName: "Ayesha", role: "counselor" });
  });

  it("hides the note length in buckets and stays within MAX_HANDOVER_BYTES", () => {
    const p = parties();
    expect(seal(p, utf8("a")).length).toBe(seal(p, utf8("a".repeat(500))).length);
    expect(seal(p, new Uint8Array(3000)).length).toBe(4096);
    expect(seal(p, new Uint8Array(200_000)).length).toBe(MAX_HANDOVER_BYTES);
    const tooLarge = sealHandoverNote({
      note: new Uint8Array(MAX_HANDOVER_BYTES),
      sessionId: SESSION_ID,
      recipientPublicKey: p.to.identity.publicKey,
      senderSecretKey: p.from.identity.secretKey,
      senderCertificate: p.from.certificate,
    });
    expect(tooLarge).toEqual({ ok: false, error: "too-large" });
  });

  it("cannot be opened by another counselor", () => {
    const p = parties();
    const eve = certify(p.org);
    const context = {
      ...openContext(p),
      recipientPublicKey: eve.identity.publicKey,
      recipientSecretKey: eve.identity.secretKey,
    };
    expect(openHandoverNote(seal(p, utf8("x")), context)).toEqual({ ok: false, error: "decrypt-failed" });
  });

  it("a note moved to another session fails its signature", () => {
    const p = parties();
    expect(openHandoverNote(seal(p, utf8("x"), OTHER_SESSION_ID), openContext(p))).toEqual({
      ok: false,
      error: "bad-handover-signature",
    });
  });

  it("the relay cannot write a note in a counselor's name", () => {
    const p = parties();
    // The relay knows public keys and certificates, but not the sender's identity secret key.
    const impostor = certify(p.org);
    const forged = mustOk(
      sealHandoverNote({
        note: utf8("end this chat"),
        sessionId: SESSION_ID,
        recipientPublicKey: p.to.identity.publicKey,
        senderSecretKey: impostor.identity.secretKey,
        senderCertificate: p.from.certificate,
      }),
    );
    expect(openHandoverNote(forged, openContext(p))).toEqual({ ok: false, error: "bad-handover-signature" });
  });

  it("refuses senders from another org, expired or revoked", () => {
    const p = parties();
    const stranger = certify(generateOrgKeyPair());
    const fromStranger = mustOk(
      sealHandoverNote({
        note: utf8("x"),
        sessionId: SESSION_ID,
        recipientPublicKey: p.to.identity.publicKey,
        senderSecretKey: stranger.identity.secretKey,
        senderCertificate: stranger.certificate,
      }),
    );
    expect(openHandoverNote(fromStranger, openContext(p))).toEqual({ ok: false, error: "other-org" });
    expect(openHandoverNote(seal(p, utf8("x")), { ...openContext(p), nowMs: NOW + 30 * DAY })).toEqual({
      ok: false,
      error: "expired",
    });
    const revocations = mustOk(
      verifyRevocationList(
        mustOk(
          signRevocationList(p.org.secretKey, { issuedAt: NOW, revokedKeys: [p.from.identity.publicKey] }),
        ),
        p.org.publicKey,
        NOW,
      ),
    );
    expect(openHandoverNote(seal(p, utf8("x")), { ...openContext(p), revocations })).toEqual({
      ok: false,
      error: "revoked",
    });
  });

  it("never throws on garbage", () => {
    const p = parties();
    for (const bytes of [new Uint8Array(0), new Uint8Array(47), new Uint8Array(2000).fill(7)]) {
      expect(openHandoverNote(bytes, openContext(p))).toEqual({ ok: false, error: "decrypt-failed" });
    }
  });

  it("carries the conversation so far: the last 200 messages, fewer when they pass 256 KiB", () => {
    const p = parties();
    const line = (i: number, size: number) => ({
      from: i % 2 === 0 ? ("survivor" as const) : ("counselor" as const),
      body: `${i}:`.padEnd(size, "ی"),
      at: 1_700_000_000_000 + i,
    });
    // 300 short messages: the last 200 travel, oldest first.
    const short = Array.from({ length: 300 }, (_, i) => line(i, 40));
    const few = handoverPayload("see FIA referral", short);
    expect(few.type === "handover-note" && few.transcript).toEqual(short.slice(-MAX_HANDOVER_MESSAGES));
    // 200 long Urdu messages (about 4 KB each as UTF-8): only the newest that fit in 256 KiB.
    const long = Array.from({ length: 200 }, (_, i) => line(i, 2000));
    const bounded = handoverPayload("note", long);
    const encoded = encodePayload(bounded);
    expect(encoded.length).toBeLessThanOrEqual(MAX_HANDOVER_PAYLOAD_BYTES);
    if (bounded.type !== "handover-note" || !bounded.transcript) throw new Error("not a handover");
    expect(bounded.transcript.length).toBeGreaterThan(50);
    expect(bounded.transcript.length).toBeLessThan(200);
    expect(bounded.transcript.at(-1)).toEqual(long.at(-1));
    expect(bounded.transcript[0]).toEqual(long[200 - bounded.transcript.length]);
    // Adding back the next-older message would not have fitted.
    const one = long[199 - bounded.transcript.length];
    if (!one) throw new Error("missing line");
    expect(encodePayload({ ...bounded, transcript: [one, ...bounded.transcript] }).length).toBeGreaterThan(
      MAX_HANDOVER_PAYLOAD_BYTES,
    );
    // It seals within MAX_HANDOVER_BYTES and opens to the same payload for the recipient.
    const sealed = seal(p, encoded);
    expect(sealed.length).toBe(MAX_HANDOVER_BYTES);
    const opened = mustOk(openHandoverNote(sealed, openContext(p)));
    expect(decodePayload(opened.note)).toEqual({ ok: true, value: bounded });
    // A medium transcript uses a middle bucket.
    expect(seal(p, encodePayload(handoverPayload("", short))).length).toBe(65_536 + 48);
  });
});
