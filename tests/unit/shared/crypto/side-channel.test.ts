import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { answerSideOffer, createSideOffer } from "../../../../shared/crypto/index.ts";
import { generateOrgKeyPair } from "../../../../shared/crypto/staff/index.ts";
import { certify, cryptoReady, DAY, mustOk, NOW, utf8 } from "../../../support/crypto-kit.ts";

beforeAll(cryptoReady);

const REQUEST = "cmVxdWVzdC1pZC0wMDAwMQ";
const OTHER_REQUEST = "b3RoZXItcmVxdWVzdC0wMQ";

function parties() {
  const org = generateOrgKeyPair();
  const supervisor = certify(org, { staffId: "sup-1" as never, displayName: "Sana", role: "supervisor" });
  const counselor = certify(org, { staffId: "cou-1" as never, displayName: "Ayesha" });
  const colleague = certify(org, { staffId: "cou-2" as never, displayName: "Bilal" });
  const trust = { orgPublicKey: org.publicKey, nowMs: NOW };
  const keys = (p: typeof supervisor) => ({
    identitySecretKey: p.identity.secretKey,
    certificate: p.certificate,
  });
  return { org, supervisor, counselor, colleague, trust, keys };
}

function established(p = parties()) {
  const offer = createSideOffer(REQUEST, p.keys(p.supervisor));
  const answered = mustOk(answerSideOffer(REQUEST, offer.hello, p.keys(p.counselor), p.trust));
  const completed = mustOk(offer.complete(answered.answer, p.trust, "cou-1"));
  return { p, offer, answered, completed };
}

const flip = (bytes: Uint8Array, at: number) => {
  const copy = bytes.slice();
  copy[at] = (copy[at] ?? 0) ^ 1;
  return copy;
};

describe("side conversation crypto", () => {
  it("names each side's certified identity and carries text both ways", () => {
    const { answered, completed } = established();
    expect(answered.peer).toEqual({ staffId: "sup-1", displayName: "Sana", role: "supervisor" });
    expect(completed.peer).toEqual({ staffId: "cou-1", displayName: "Ayesha", role: "counselor" });
    const toCounselor = mustOk(completed.conversation.seal(utf8("ask about the FIA form")));
    expect(mustOk(answered.conversation.open(toCounselor.seq, toCounselor.ciphertext))).toEqual(
      utf8("ask about the FIA form"),
    );
    const urdu = utf8("کیا میں اسے ایف آئی اے بھیجوں؟");
    const toSupervisor = mustOk(answered.conversation.seal(urdu));
    expect(mustOk(completed.conversation.open(toSupervisor.seq, toSupervisor.ciphertext))).toEqual(urdu);
  });

  it("hides lengths in padding buckets", () => {
    const { completed } = established();
    const a = mustOk(completed.conversation.seal(utf8("a")));
    const b = mustOk(completed.conversation.seal(utf8("a".repeat(200))));
    expect(a.ciphertext.length).toBe(b.ciphertext.length);
  });

  it("refuses any flipped byte, a replay, a reflected message and a message of another conversation", () => {
    const { p, answered, completed } = established();
    const m = mustOk(completed.conversation.seal(utf8("first")));
    for (const at of [0, 10, m.ciphertext.length - 1]) {
      expect(answered.conversation.open(m.seq, flip(m.ciphertext, at))).toEqual({
        ok: false,
        error: "decrypt-failed",
      });
    }
    expect(answered.conversation.open(m.seq + 1, m.ciphertext).ok).toBe(false);
    expect(mustOk(answered.conversation.open(m.seq, m.ciphertext))).toEqual(utf8("first"));
    expect(answered.conversation.open(m.seq, m.ciphertext)).toEqual({ ok: false, error: "replayed" });
    // The sender's own message sent back to it (the relay reflecting) does not open.
    const mine = mustOk(completed.conversation.seal(utf8("second")));
    expect(completed.conversation.open(mine.seq, mine.ciphertext)).toEqual({
      ok: false,
      error: "decrypt-failed",
    });
    // Same parties, another request: its keys differ.
    const other = established(p);
    const elsewhere = mustOk(other.completed.conversation.seal(utf8("elsewhere")));
    expect(answered.conversation.open(elsewhere.seq + 5, elsewhere.ciphertext).ok).toBe(false);
  });

  it("refuses a tampered offer or answer, and hellos bound to another request", () => {
    const p = parties();
    const offer = createSideOffer(REQUEST, p.keys(p.supervisor));
    // The ephemeral key (byte 5), the certificate (byte 60) and the signature (last byte).
    for (const at of [5, 60, offer.hello.length - 1]) {
      expect(answerSideOffer(REQUEST, flip(offer.hello, at), p.keys(p.counselor), p.trust).ok).toBe(false);
    }
    expect(answerSideOffer(OTHER_REQUEST, offer.hello, p.keys(p.counselor), p.trust)).toEqual({
      ok: false,
      error: "bad-hello-signature",
    });
    const answered = mustOk(answerSideOffer(REQUEST, offer.hello, p.keys(p.counselor), p.trust));
    expect(offer.complete(flip(answered.answer, 5), p.trust, "cou-1")).toEqual({
      ok: false,
      error: "bad-hello-signature",
    });
    // An answer to another offer (the relay splicing two conversations) is refused.
    const otherOffer = createSideOffer(REQUEST, p.keys(p.supervisor));
    const spliced = mustOk(answerSideOffer(REQUEST, otherOffer.hello, p.keys(p.counselor), p.trust));
    expect(offer.complete(spliced.answer, p.trust, "cou-1")).toEqual({
      ok: false,
      error: "bad-hello-signature",
    });
    expect(offer.complete(answered.answer, p.trust, "cou-1").ok).toBe(true);
    expect(offer.complete(answered.answer, p.trust, "cou-1").ok).toBe(false);
  });

  it("accepts an offer only from a supervisor or admin, and an answer only from the one who asked", () => {
    const p = parties();
    const fromColleague = createSideOffer(REQUEST, p.keys(p.colleague));
    expect(answerSideOffer(REQUEST, fromColleague.hello, p.keys(p.counselor), p.trust)).toEqual({
      ok: false,
      error: "wrong-role",
    });
    const admin = certify(p.org, { staffId: "adm-1" as never, displayName: "Admin", role: "admin" });
    const byAdmin = createSideOffer(REQUEST, p.keys(admin));
    expect(answerSideOffer(REQUEST, byAdmin.hello, p.keys(p.counselor), p.trust).ok).toBe(true);
    const offer = createSideOffer(REQUEST, p.keys(p.supervisor));
    const fromColleagueAnswer = mustOk(answerSideOffer(REQUEST, offer.hello, p.keys(p.colleague), p.trust));
    expect(offer.complete(fromColleagueAnswer.answer, p.trust, "cou-1")).toEqual({
      ok: false,
      error: "wrong-peer",
    });
  });

  it("refuses a hello certified by another org or expired", () => {
    const p = parties();
    const stranger = certify(generateOrgKeyPair(), { role: "supervisor" });
    const foreign = createSideOffer(REQUEST, p.keys(stranger));
    expect(answerSideOffer(REQUEST, foreign.hello, p.keys(p.counselor), p.trust)).toEqual({
      ok: false,
      error: "other-org",
    });
    const offer = createSideOffer(REQUEST, p.keys(p.supervisor));
    expect(
      answerSideOffer(REQUEST, offer.hello, p.keys(p.counselor), { ...p.trust, nowMs: NOW + 30 * DAY }),
    ).toEqual({ ok: false, error: "expired" });
  });

  it("never throws on arbitrary hellos and ciphertexts", () => {
    const { p, answered } = established();
    const offer = createSideOffer(REQUEST, p.keys(p.supervisor));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), fc.integer({ min: -5, max: 20_000 }), (bytes, seq) => {
        expect(answerSideOffer(REQUEST, bytes, p.keys(p.counselor), p.trust).ok).toBe(false);
        expect(offer.complete(bytes, p.trust, "cou-1").ok).toBe(false);
        expect(answered.conversation.open(seq, bytes).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it("a wiped conversation neither seals nor opens", () => {
    const { answered, completed } = established();
    const m = mustOk(completed.conversation.seal(utf8("x")));
    answered.conversation.wipe();
    expect(answered.conversation.open(m.seq, m.ciphertext)).toEqual({ ok: false, error: "wiped" });
    expect(answered.conversation.seal(utf8("y"))).toEqual({ ok: false, error: "wiped" });
  });
});
