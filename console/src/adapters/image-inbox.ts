import {
  createImageReceiver,
  type ImageChunkPayload,
  type ImageHeader,
  type ImageReceiver,
} from "../../../shared/protocol/image-transfer.ts";
import type { SessionId } from "../../../shared/protocol/index.ts";
import type { ChatsAction, ChatsState } from "../state/chats.ts";
import type { Store } from "../state/store.ts";

/**
 * Images arriving in the counselor's chats (PROTOCOL.md "Attachments"): one receiver per chat
 * puts the chunks together; a finished image becomes a Blob behind an object URL, in memory only.
 * Every URL that leaves the chats state (the chat ended, was closed, or the console locked) is
 * revoked at once, and partial images are zeroed with their chat.
 */
export type ImageInbox = Readonly<{
  accept: (
    sessionId: SessionId,
    payload: ImageHeader | ImageChunkPayload,
    now: number,
    seen: boolean,
  ) => void;
  /** Fails images stalled mid-way (a timer calls it). */
  check: (now: number) => void;
  drop: (sessionId: SessionId) => void;
  /** An object URL of an image the counselor sends: revoked like received ones. */
  hold: (url: string) => void;
  dispose: () => void;
}>;

export function createImageInbox(chats: Store<ChatsState, ChatsAction>): ImageInbox {
  const receivers = new Map<SessionId, ImageReceiver>();
  const held = new Set<string>();

  const release = () => {
    const live = new Set<string>();
    for (const chat of chats.getState().chats) {
      if (chat.phase !== "active") {
        receivers.get(chat.sessionId)?.wipe();
        receivers.delete(chat.sessionId);
      }
      for (const m of chat.messages) if (m.image?.url) live.add(m.image.url);
    }
    for (const sessionId of receivers.keys()) {
      if (!chats.getState().chats.some((c) => c.sessionId === sessionId)) {
        receivers.get(sessionId)?.wipe();
        receivers.delete(sessionId);
      }
    }
    for (const url of held) {
      if (live.has(url)) continue;
      URL.revokeObjectURL(url);
      held.delete(url);
    }
  };
  const unsubscribe = chats.subscribe(release);

  return {
    accept: (sessionId, payload, now, seen) => {
      let receiver = receivers.get(sessionId);
      if (receiver === undefined) {
        receiver = createImageReceiver();
        receivers.set(sessionId, receiver);
      }
      for (const event of receiver.accept(payload, now)) {
        if (event.type === "complete") {
          const { image } = event;
          const blob = new Blob([image.bytes as Uint8Array<ArrayBuffer>], { type: image.mime });
          // The Blob holds its own copy: the reassembly buffer goes now.
          image.bytes.fill(0);
          const url = URL.createObjectURL(blob);
          held.add(url);
          chats.dispatch({
            type: "image-received",
            sessionId,
            id: image.id,
            image: { url, width: image.width, height: image.height },
            at: now,
            seen,
          });
        } else if (event.type === "failed") {
          chats.dispatch({
            type: "image-received",
            sessionId,
            id: event.id,
            image: { url: null, width: 0, height: 0 },
            at: now,
            seen,
          });
        }
      }
    },
    check: (now) => {
      for (const [sessionId, receiver] of receivers)
        for (const event of receiver.check(now))
          if (event.type === "failed")
            chats.dispatch({
              type: "image-received",
              sessionId,
              id: event.id,
              image: { url: null, width: 0, height: 0 },
              at: now,
              seen: false,
            });
    },
    drop: (sessionId) => {
      receivers.get(sessionId)?.wipe();
      receivers.delete(sessionId);
    },
    hold: (url) => {
      held.add(url);
    },
    dispose: () => {
      unsubscribe();
      for (const receiver of receivers.values()) receiver.wipe();
      receivers.clear();
      for (const url of held) URL.revokeObjectURL(url);
      held.clear();
    },
  };
}
