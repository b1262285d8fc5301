import type { Payload } from "../../../shared/protocol/payloads.ts";
import type { FrameEvent } from "./events.ts";
import type { Entry, MineState, Notice, Session } from "./types.ts";

/**
 * Pure updates of a running chat session: transcript, unacknowledged frames, receipts, typing
 * and transfer. The top-level reducer (reducer.ts) routes chat events here.
 */
type Of<T extends FrameEvent["type"]> = Extract<FrameEvent, { type: T }>;

const noticeId = (session: Session, at: number) => `n${session.epoch}-${session.transcript.length}-${at}`;

export function addNotice(session: Session, notice: Notice, at: number): Session {
  return {
    ...session,
    transcript: [...session.transcript, { type: "notice", id: noticeId(session, at), notice, at }],
  };
}

function updateMine(
  session: Session,
  test: (entry: Entry & { type: "mine" }) => boolean,
  state: MineState,
): Session {
  let changed = false;
  const transcript = session.transcript.map((entry) => {
    if (entry.type !== "mine" || !test(entry) || entry.state === state) return entry;
    changed = true;
    return { ...entry, state };
  });
  return changed ? { ...session, transcript } : session;
}

export function composed(session: Session, event: Of<"message-composed">): Session {
  const entry: Entry = {
    type: "mine",
    id: event.id,
    body: event.body,
    at: event.now,
    state: "sending",
    epoch: session.epoch,
    seq: null,
  };
  return { ...session, transcript: [...session.transcript, entry] };
}

export function imageComposed(session: Session, event: Of<"image-composed">): Session {
  const entry: Entry = {
    type: "mine",
    id: event.id,
    body: "",
    at: event.now,
    state: "sending",
    epoch: session.epoch,
    seq: null,
    image: { url: event.url, width: event.width, height: event.height },
  };
  return { ...session, transcript: [...session.transcript, entry] };
}

export function imageReceived(session: Session, event: Of<"image-received">): Session {
  if (session.transcript.some((entry) => entry.id === event.id)) return session;
  const entry: Entry = {
    type: "theirs",
    id: event.id,
    body: "",
    at: event.now,
    epoch: session.epoch,
    seq: session.lastOpened ?? 0,
    name: session.counselor?.name ?? "",
    image: { url: event.url, width: event.width, height: event.height },
  };
  return { ...session, transcript: [...session.transcript, entry] };
}

/** An image that could not be sent fails whole (never a part of it). */
export function imageFailed(session: Session, id: string): Session {
  const transcript = session.transcript.map((entry) =>
    entry.type === "mine" && entry.id === id && entry.image !== undefined
      ? { ...entry, state: "failed" as const }
      : entry,
  );
  return { ...session, transcript };
}

export function sealed(session: Session, event: Of<"frame-sealed">): Session {
  if (event.epoch !== session.epoch) return session;
  const unacked = [...session.unacked, { epoch: event.epoch, seq: event.seq, ciphertext: event.ciphertext }];
  if (event.messageId === null) return { ...session, unacked };
  // Still "sending": sealed, but only on this device until the frame leaves (`sent`), which
  // waits for the connection when it is down.
  const transcript = session.transcript.map((entry) =>
    entry.type === "mine" && entry.id === event.messageId ? { ...entry, seq: event.seq } : entry,
  );
  return { ...session, unacked, transcript };
}

/** The frame completing a message left on a connected socket. */
export function sent(session: Session, event: Of<"frame-sent">): Session {
  return updateMine(
    session,
    (e) => e.epoch === event.epoch && e.seq === event.seq && e.state === "sending",
    "sent",
  );
}

export function acked(session: Session, event: Of<"frame-acked">): Session {
  if (event.epoch !== session.epoch) return session;
  const unacked = session.unacked.filter((frame) => frame.seq > event.seq);
  const next = updateMine(
    { ...session, unacked },
    (e) =>
      e.epoch === event.epoch &&
      e.seq !== null &&
      e.seq <= event.seq &&
      (e.state === "sent" || e.state === "sending"),
    "delivered",
  );
  return next;
}

/** True when a frame must not be opened: another epoch, or a sequence number already opened. */
export function isStale(session: Session, epoch: number, seq: number): boolean {
  return epoch !== session.epoch || (session.lastOpened !== null && seq <= session.lastOpened);
}

export function opened(session: Session, event: Of<"payload-opened">): Session {
  if (isStale(session, event.epoch, event.seq)) return session;
  const base: Session = { ...session, lastOpened: event.seq };
  return applyPayload(base, event.payload, event);
}

function applyPayload(session: Session, payload: Payload, event: Of<"payload-opened">): Session {
  switch (payload.type) {
    case "text": {
      const name = session.counselor?.name ?? "";
      const entry: Entry = {
        type: "theirs",
        id: payload.id,
        body: payload.body,
        at: event.now,
        epoch: event.epoch,
        seq: event.seq,
        name,
      };
      return { ...session, peerTyping: false, transcript: [...session.transcript, entry] };
    }
    case "typing":
      return { ...session, peerTyping: payload.active };
    case "read":
      return updateMine(
        session,
        (e) =>
          e.epoch === event.epoch && e.seq !== null && e.seq <= payload.upTo && e.state !== "undelivered",
        "read",
      );
    // Survivor-side fields or counselor-only payloads: nothing to show if a counselor sends them.
    case "end":
    case "for-whom":
    case "nickname":
    case "handover-note":
    case "visitor-left":
    // Put together by the controller, which adds the finished image (`image-received`).
    case "image":
    case "image-chunk":
      return session;
    default: {
      const never: never = payload;
      return never;
    }
  }
}

export function transferring(session: Session, event: Of<"transferring">): Session {
  return addNotice({ ...session, counselor: null, peerTyping: false }, { type: "transferring" }, event.now);
}

/**
 * A new handshake (first accept or after a transfer) verified. Frames sealed for the previous
 * epoch can never reach the new counselor (other keys), so they are dropped and marked.
 */
export function channelReady(session: Session, event: Of<"channel-ready">): Session {
  const next: Session = {
    ...session,
    epoch: event.epoch,
    counselor: { name: event.counselorName, safetyCode: event.safetyCode },
    unacked: session.unacked.filter((frame) => frame.epoch === event.epoch),
    lastOpened: event.epoch === session.epoch ? session.lastOpened : null,
    peerTyping: false,
    peerConnected: true,
  };
  const marked = updateMine(
    next,
    (e) => e.epoch !== event.epoch && (e.state === "sending" || e.state === "sent"),
    "undelivered",
  );
  return addNotice(marked, { type: "joined", name: event.counselorName }, event.now);
}
