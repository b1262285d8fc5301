import type { Incoming } from "./relay-events.ts";
import type { RelayTransport } from "./relay-socket.ts";

/**
 * The relay connection opened while the survivor reads the start screen, so that pressing Start
 * costs neither the connection's round trips nor the wait for the proof-of-work challenge. The
 * challenge the relay sends on connecting arrives before the chat flow listens: it is kept
 * (only the newest) and handed to the flow's handler when it registers; later ones (a fresh
 * challenge after an expired one, a reconnect) go straight through.
 */
export function earlyRelay(transport: RelayTransport): RelayTransport {
  let kept: Incoming["challenge"] | null = null;
  let handler: ((challenge: Incoming["challenge"]) => void) | null = null;
  transport.on("challenge", (challenge) => {
    if (handler) handler(challenge);
    else kept = challenge;
  });
  // Every call delegates at call time (not a copy of the methods), like the transport itself.
  return {
    onConnection: (h) => transport.onConnection(h),
    join: (j) => transport.join(j),
    resume: (id, token) => transport.resume(id, token),
    transferKey: (id, key) => transport.transferKey(id, key),
    frame: (id, epoch, seq, ciphertext) => transport.frame(id, epoch, seq, ciphertext),
    ack: (id, epoch, seq) => transport.ack(id, epoch, seq),
    stillWaiting: (id) => transport.stillWaiting(id),
    leave: (id, reason) => transport.leave(id, reason),
    close: () => transport.close(),
    closeNow: () => transport.closeNow(),
    on: (event, listener) => {
      if (event !== "challenge") return transport.on(event, listener);
      handler = listener as (challenge: Incoming["challenge"]) => void;
      const waiting = kept;
      kept = null;
      if (waiting) handler(waiting);
    },
  };
}
