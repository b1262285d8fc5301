import * as v from "valibot";
import { beforeAll, describe, expect, it } from "vitest";
import { formatChallenge } from "../../../../shared/pow/challenge.ts";
import { leadingZeroBits } from "../../../../shared/pow/challenge.ts";
import { powInput } from "../../../../shared/pow/input.ts";
import { sha256 } from "../../../../shared/pow/sha256.ts";
import { counselorAccept } from "../../../../shared/crypto/index.ts";
import { SessionIdSchema } from "../../../../shared/protocol/ids.ts";
import { decodePayload, encodePayload } from "../../../../shared/protocol/payloads.ts";
import { certify, cryptoReady, makeOrg, mustOk, NOW, SESSION_ID } from "../../../support/crypto-kit.ts";
import { workerPair } from "./worker-pair.ts";

const sessionId = v.parse(SessionIdSchema, SESSION_ID);

beforeAll(cryptoReady);

async function connected() {
  const org = makeOrg();
  const counselor = certify(org);
  const { client, terminated, posted } = workerPair();
  expect(await client.init(org.publicKey)).toEqual({ ok: true, value: null });
  const key = mustOk(await client.newKey());
  const accepted = mustOk(
    counselorAccept({
      sessionId,
      epoch: 0,
      survivorPublicKey: key,
      identitySecretKey: counselor.identity.secretKey,
      certificate: counselor.certificate,
    }),
  );
  const ready = mustOk(await client.complete(sessionId, 0, accepted.handshake, NOW));
  return { org, counselor, client, accepted, ready, terminated, posted };
}

describe("crypto worker (handler + client)", () => {
  it("verifies the counselor against the org key and shows the same safety code on both ends", async () => {
    const { ready, accepted } = await connected();
    expect(ready.counselorName).toBe("Ayesha");
    expect(ready.epoch).toBe(0);
    expect(ready.safetyCode).toBe(accepted.safetyCode);
  });

  it("refuses a counselor certified by another org", async () => {
    const org = makeOrg();
    const impostor = certify(makeOrg());
    const { client } = workerPair();
    await client.init(org.publicKey);
    const key = mustOk(await client.newKey());
    const forged = mustOk(
      counselorAccept({
        sessionId,
        epoch: 0,
        survivorPublicKey: key,
        identitySecretKey: impostor.identity.secretKey,
        certificate: impostor.certificate,
      }),
    );
    expect(await client.complete(sessionId, 0, forged.handshake, NOW)).toEqual({
      ok: false,
      error: "handshake-failed",
    });
    expect(await client.seal({ type: "typing", active: true })).toEqual({ ok: false, error: "no-channel" });
  });

  it("seals payloads the counselor opens, and opens the counselor's frames once", async () => {
    const { client, accepted } = await connected();
    const sealed = mustOk(await client.seal({ type: "text", id: "m1", body: "salaam" }));
    expect(sealed.seq).toBe(0);
    const opened = mustOk(accepted.channel.open(sealed.seq, sealed.ciphertext));
    expect(decodePayload(opened.payload)).toEqual({
      ok: true,
      value: { type: "text", id: "m1", body: "salaam" },
    });

    const reply = mustOk(accepted.channel.seal(encodePayload({ type: "text", id: "c1", body: "I am here" })));
    const got = mustOk(await client.open(0, reply.seq, reply.ciphertext));
    expect(got.payload).toEqual({ type: "text", id: "c1", body: "I am here" });
    expect(await client.open(0, reply.seq, reply.ciphertext)).toEqual({ ok: false, error: "duplicate" });
  });

  it("rejects a tampered frame and a frame for another epoch", async () => {
    const { client, accepted } = await connected();
    const reply = mustOk(accepted.channel.seal(encodePayload({ type: "typing", active: true })));
    const tampered = reply.ciphertext.slice();
    tampered[5] = (tampered[5] ?? 0) ^ 1;
    expect(await client.open(0, reply.seq, tampered)).toEqual({ ok: false, error: "open-failed" });
    expect(await client.open(1, reply.seq, reply.ciphertext)).toEqual({ ok: false, error: "stale-epoch" });
  });

  it("never sends a key or a plaintext body to the main thread", async () => {
    const { client, accepted, posted } = await connected();
    await client.seal({ type: "text", id: "m1", body: "canary-7d1f" });
    const reply = mustOk(accepted.channel.seal(encodePayload({ type: "typing", active: false })));
    await client.open(0, reply.seq, reply.ciphertext);
    // What went in: the main thread's requests. The only plaintext there is its own payload.
    expect(JSON.stringify(posted.filter((m) => (m as { type: string }).type !== "seal"))).not.toContain(
      "canary",
    );
  });

  it("wipes: later requests fail as terminated and the worker is terminated", async () => {
    const { client, terminated } = await connected();
    await client.wipe();
    expect(terminated()).toBe(true);
    expect(await client.seal({ type: "typing", active: true })).toEqual({ ok: false, error: "terminated" });
  });

  it("solves a proof-of-work challenge with progress", async () => {
    const { client } = workerPair();
    const challenge = formatChallenge(
      { difficulty: 12, expiresAt: NOW, random: "A".repeat(22) },
      "B".repeat(43),
    );
    const nonce = mustOk(await client.solve(challenge, () => {}));
    expect(leadingZeroBits(sha256(powInput(challenge, nonce)))).toBeGreaterThanOrEqual(12);
    expect(await client.solve("not a challenge", () => {})).toEqual({ ok: false, error: "pow-failed" });
  });

  it("answers a malformed request with bad-request", async () => {
    const { client } = workerPair();
    // A payload outside the schema is refused before any crypto runs.
    const result = await client.seal({ type: "text", id: "has space", body: "x" });
    expect(result).toEqual({ ok: false, error: "bad-request" });
  });
});
