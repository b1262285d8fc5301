import { createSurvivorHandshake, type SurvivorSession } from "../../../../shared/crypto/index.ts";
import {
  type Assigned,
  encodePayload,
  type PartnerId,
  type SessionId,
} from "../../../../shared/protocol/index.ts";
import { type Account, bytes, NOW } from "./app-harness.tsx";
import type { FakeTransport } from "./fakes.ts";

/**
 * The survivor's end of a chat, scripted on the crypto core against the console's fake relay:
 * the assignment that carries their key, the handshake completed from the console's accept, and
 * texts sealed to the counselor.
 */
export function scriptedSurvivor(transport: FakeTransport, account: Account, sessionId: SessionId) {
  const handshake = createSurvivorHandshake();
  let session: SurvivorSession | null = null;
  const assigned = (over: Partial<Assigned> = {}): Assigned => ({
    sessionId,
    epoch: 0,
    survivorKey: handshake.publicKey,
    language: "en",
    partner: "drf" as PartnerId,
    waitedSeconds: 0,
    ...over,
  });
  return {
    /** The chat as the relay assigns it (a take's answer, or pushed with `assign`). */
    assigned,
    assign: (over: Partial<Assigned> = {}) => transport.emit("assigned", assigned(over)),
    /** Completes the handshake from this chat's accept (call once the console has sent it). */
    connect(): SurvivorSession {
      const accept = transport.requests.find(
        (r) => r.event === "accept" && (r.payload as { sessionId: SessionId }).sessionId === sessionId,
      )?.payload as { handshake: Uint8Array } | undefined;
      if (!accept) throw new Error("no accept for this chat");
      const done = handshake.complete(accept.handshake, {
        sessionId,
        epoch: 0,
        orgPublicKey: bytes(account.orgPublicKey),
        nowMs: NOW,
      });
      if (!done.ok) throw new Error(done.error);
      session = done.value;
      return session;
    },
    /** Seals a text to the counselor and has the relay deliver it. */
    say(id: string, body: string): void {
      if (!session) throw new Error("not connected");
      const sealed = session.channel.seal(encodePayload({ type: "text", id, body }));
      if (!sealed.ok) throw new Error(sealed.error);
      transport.emit("frame", {
        sessionId,
        epoch: 0,
        seq: sealed.value.seq,
        ciphertext: sealed.value.ciphertext,
      });
    },
  };
}
