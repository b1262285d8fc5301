import {
  answerSideOffer,
  createSideOffer,
  type SideConversation,
  type SideOffer,
} from "../../../shared/crypto/index.ts";
import type { CryptoError, CryptoReply } from "./rpc.ts";
import type { SideRequest } from "./side-rpc.ts";

/**
 * Side conversations inside the crypto worker: the supervisor's pending offers and both sides'
 * conversation keys, by request id. `wipeAll` (lock, logout, idle) zeroes every key.
 */
export type SideHeld = Readonly<{
  identitySecretKey: Uint8Array;
  certificate: Uint8Array;
  orgPublicKey: Uint8Array;
}>;

type Handlers = {
  [K in SideRequest["type"]]: (r: Extract<SideRequest, { type: K }>) => CryptoReply<K>;
};

const ok = <T>(value: T) => ({ ok: true as const, value });
const fail = (error: CryptoError) => ({ ok: false as const, error });
const utf8 = new TextEncoder();
const strict = new TextDecoder("utf-8", { fatal: true });

/** At most this many at once: a flood of offers from a hostile page script cannot grow the heap. */
const MAX_HELD = 16;

export function sideKeyring(held: () => SideHeld | null, now: () => number) {
  const offers = new Map<string, SideOffer>();
  const conversations = new Map<string, SideConversation>();

  const wipe = (requestId: string) => {
    offers.get(requestId)?.wipe();
    offers.delete(requestId);
    conversations.get(requestId)?.wipe();
    conversations.delete(requestId);
  };
  const full = () => offers.size + conversations.size >= MAX_HELD;

  const handlers: Handlers = {
    "side-offer": (r) => {
      const keys = held();
      if (!keys) return fail("not-certified");
      if (full()) return fail("too-large");
      wipe(r.requestId);
      const offer = createSideOffer(r.requestId, keys);
      offers.set(r.requestId, offer);
      return ok({ hello: offer.hello });
    },
    "side-answer": (r) => {
      const keys = held();
      if (!keys) return fail("not-certified");
      if (full()) return fail("too-large");
      const answered = answerSideOffer(r.requestId, r.offer, keys, {
        orgPublicKey: keys.orgPublicKey,
        nowMs: now(),
      });
      if (!answered.ok) return fail("bad-certificate");
      wipe(r.requestId);
      conversations.set(r.requestId, answered.value.conversation);
      return ok({ answer: answered.value.answer, peerName: answered.value.peer.displayName });
    },
    "side-complete": (r) => {
      const keys = held();
      const offer = offers.get(r.requestId);
      if (!keys || !offer) return fail("unknown-session");
      const done = offer.complete(r.answer, { orgPublicKey: keys.orgPublicKey, nowMs: now() }, r.counselor);
      if (!done.ok) return fail("bad-certificate");
      offers.delete(r.requestId);
      conversations.set(r.requestId, done.value.conversation);
      return ok({ peerName: done.value.peer.displayName });
    },
    "side-seal": (r) => {
      const conversation = conversations.get(r.requestId);
      if (!conversation) return fail("unknown-session");
      const bytes = utf8.encode(r.text);
      const sealed = conversation.seal(bytes);
      bytes.fill(0);
      if (!sealed.ok) return fail(sealed.error === "too-large" ? "too-large" : "closed");
      return ok(sealed.value);
    },
    "side-open": (r) => {
      const conversation = conversations.get(r.requestId);
      if (!conversation) return fail("unknown-session");
      const opened = conversation.open(r.seq, r.ciphertext);
      if (!opened.ok) return fail(opened.error === "replayed" ? "duplicate" : "decrypt-failed");
      try {
        return ok({ text: strict.decode(opened.value) });
      } catch {
        return fail("bad-payload");
      } finally {
        opened.value.fill(0);
      }
    },
    "side-wipe": (r) => {
      wipe(r.requestId);
      return ok({});
    },
  };

  return {
    handlers,
    wipeAll: () => {
      for (const id of [...offers.keys(), ...conversations.keys()]) wipe(id);
    },
  };
}
