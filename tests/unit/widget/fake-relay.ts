import type { Incoming } from "../../../widget/frame/adapters/relay-events.ts";
import type {
  PlainReply,
  Queued,
  RelayTransport,
  Resumed,
} from "../../../widget/frame/adapters/relay-socket.ts";

/** Records what the frame sends and lets a test play the relay's part, event by event. */
export type Sent =
  | { type: "join"; survivorKey: Uint8Array; language: string; partner: string }
  | { type: "resume"; sessionId: string; resumeToken: string }
  | { type: "transfer-key"; sessionId: string; survivorKey: Uint8Array }
  | { type: "frame"; sessionId: string; epoch: number; seq: number; ciphertext: Uint8Array }
  | { type: "ack"; sessionId: string; epoch: number; seq: number }
  | { type: "leave"; sessionId: string; reason: string }
  | { type: "waiting"; sessionId: string }
  | { type: "close" }
  | { type: "close-now" };

export function fakeRelay(replies: { join: () => Queued; resume?: () => Resumed }) {
  const handlers = new Map<string, (payload: never) => void>();
  let connection: ((connected: boolean, reconnect: boolean) => void) | null = null;
  const sent: Sent[] = [];
  const transport: RelayTransport = {
    on: (event, handler) => {
      handlers.set(event, handler as (payload: never) => void);
    },
    onConnection: (handler) => {
      connection = handler;
    },
    join: async (join) => {
      sent.push({
        type: "join",
        survivorKey: join.survivorKey,
        language: join.language,
        partner: join.partner,
      });
      return replies.join();
    },
    resume: async (sessionId, resumeToken) => {
      sent.push({ type: "resume", sessionId, resumeToken });
      return replies.resume?.() ?? { ok: false, error: "resume-failed" };
    },
    transferKey: async (sessionId, survivorKey): Promise<PlainReply> => {
      sent.push({ type: "transfer-key", sessionId, survivorKey });
      return { ok: true };
    },
    frame: (sessionId, epoch, seq, ciphertext) =>
      sent.push({ type: "frame", sessionId, epoch, seq, ciphertext: ciphertext.slice() }),
    ack: (sessionId, epoch, seq) => sent.push({ type: "ack", sessionId, epoch, seq }),
    stillWaiting: (sessionId) => sent.push({ type: "waiting", sessionId }),
    leave: async (sessionId, reason) => {
      sent.push({ type: "leave", sessionId, reason });
    },
    close: () => sent.push({ type: "close" }),
    closeNow: () => sent.push({ type: "close-now" }),
  };
  return {
    transport,
    sent,
    emit: <E extends keyof Incoming>(event: E, payload: Incoming[E]) =>
      (handlers.get(event) as (p: Incoming[E]) => void)?.(payload),
    connect: (reconnect: boolean) => connection?.(true, reconnect),
    disconnect: () => connection?.(false, false),
  };
}
