import { createImagePacer, createImageQuota, type ImagePacer } from "../../../shared/protocol/image-pacer.ts";
import {
  type ImageChunkPayload,
  type ImageHeader,
  splitImage,
} from "../../../shared/protocol/image-transfer.ts";
import type { SessionId } from "../../../shared/protocol/index.ts";
import type { ChatsAction, ChatsState } from "../state/chats.ts";
import type { Store } from "../state/store.ts";

/**
 * Images the counselor sends (PROTOCOL.md "Attachments"), for example a guide to a platform's
 * report form: the same split, pacing and per-chat limits as the survivor's frame
 * (shared/protocol/image-*). One pacer per chat; typed messages never wait behind it.
 */
export type PreparedImage = Readonly<{ blob: Blob; width: number; height: number }>;
export type SendImageError = "too-large" | "too-many" | "too-fast" | "bad-state";

export type OutboxDeps = Readonly<{
  chats: Store<ChatsState, ChatsAction>;
  /** Seals and sends one part; its seq, or null when the chat's channel is gone. */
  send: (
    sessionId: SessionId,
    part: ImageHeader | ImageChunkPayload,
    sealedAs: (seq: number) => void,
  ) => Promise<number | null>;
  /** Keeps an object URL alive while a message shows it (adapters/image-inbox.ts revokes it). */
  hold: (url: string) => void;
  now: () => number;
  randomId: () => string;
}>;

type Lane = {
  pacer: ImagePacer;
  quota: ReturnType<typeof createImageQuota>;
  sealed: number;
  acked: number;
};

export function createImageOutbox(deps: OutboxDeps) {
  const lanes = new Map<SessionId, Lane>();

  const laneOf = (sessionId: SessionId): Lane => {
    const existing = lanes.get(sessionId);
    if (existing) return existing;
    const lane: Lane = {
      quota: createImageQuota(),
      sealed: -1,
      acked: -1,
      pacer: createImagePacer({
        send: async (part, last) => {
          const seq = await deps.send(sessionId, part, (sealedSeq) => {
            lane.sealed = Math.max(lane.sealed, sealedSeq);
            if (last) deps.chats.dispatch({ type: "image-sealed", sessionId, id: part.id, seq: sealedSeq });
          });
          return seq !== null;
        },
        inFlight: () => Math.max(0, lane.sealed - lane.acked),
        schedule: (run, ms) => {
          const timer = setTimeout(run, ms);
          return () => clearTimeout(timer);
        },
        onProgress: () => {},
        onDone: (id, sent) => {
          if (!sent) deps.chats.dispatch({ type: "image-send-failed", sessionId, id });
        },
      }),
    };
    lanes.set(sessionId, lane);
    return lane;
  };

  return {
    send: async (sessionId: SessionId, image: PreparedImage): Promise<SendImageError | null> => {
      const chat = deps.chats.getState().chats.find((c) => c.sessionId === sessionId);
      if (chat?.phase !== "active") return "bad-state";
      const lane = laneOf(sessionId);
      const taken = lane.quota.take(image.blob.size, deps.now());
      if (!taken.ok) return taken.error;
      const id = deps.randomId();
      const bytes = new Uint8Array(await image.blob.arrayBuffer());
      const parts = splitImage({ id, mime: "image/jpeg", bytes, width: image.width, height: image.height });
      bytes.fill(0);
      if (!parts.ok) return "too-large";
      // Held and shown in the same task: the inbox revokes any URL no message shows.
      const url = URL.createObjectURL(image.blob);
      deps.hold(url);
      deps.chats.dispatch({
        type: "image-sending",
        sessionId,
        id,
        image: { url, width: image.width, height: image.height },
        at: deps.now(),
      });
      lane.pacer.enqueue(parts.value);
      return null;
    },
    /** The survivor acknowledged frames up to `seq` (the window the pacer keeps). */
    acked: (sessionId: SessionId, seq: number) => {
      const lane = lanes.get(sessionId);
      if (lane) lane.acked = Math.max(lane.acked, seq);
    },
    /** The chat ended, was handed over or the console locks: parts not yet sent are dropped. */
    drop: (sessionId: SessionId) => {
      lanes.get(sessionId)?.pacer.clear();
      lanes.delete(sessionId);
    },
    dispose: () => {
      for (const lane of lanes.values()) lane.pacer.clear();
      lanes.clear();
    },
  };
}
