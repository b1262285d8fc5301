import type { Ack, Frame, RelayErrorCode, StaffId } from "../../shared/protocol/index.ts";
import type { SessionRecord } from "../state/records.ts";
import { type RelayContext, sessionRoom, staffRoom } from "./context.ts";
import { mutate } from "./sessions.ts";
import { wire } from "./wire.ts";

/** Who is sending: the survivor socket of the session, or a counselor by id. */
export type Sender = Readonly<{ side: "survivor"; socketId: string } | { side: "staff"; staffId: StaffId }>;

/**
 * Checks that the sender holds this session at its current epoch and the other side is
 * connected, then forwards. Nothing is buffered: a frame for a disconnected peer is refused
 * (`peer-offline`) and stays in the sender's unacknowledged buffer for resending after `resume`.
 */
async function route(
  ctx: RelayContext,
  sender: Sender,
  message: Frame | Ack,
): Promise<RelayErrorCode | SessionRecord> {
  const s = await ctx.store.getSession(message.sessionId);
  if (!s) return sender.side === "staff" ? "not-your-session" : "unknown-session";
  if (sender.side === "staff" ? s.counselor !== sender.staffId : s.survivorSocket !== sender.socketId) {
    return "not-your-session";
  }
  if (message.epoch !== s.epoch) return "stale-epoch";
  if (s.state !== "active" || !s.counselor) return "bad-state";
  if (sender.side === "staff") {
    if (s.survivorSocket === null) return "peer-offline";
  } else {
    const counselor = await ctx.store.getStaff(s.counselor);
    if (!counselor || counselor.connections === 0) return "peer-offline";
  }
  return s;
}

function emitTo(
  ctx: RelayContext,
  sender: Sender,
  s: SessionRecord,
  event: "frame" | "ack",
  payload: Frame | Ack,
) {
  if (sender.side === "staff") ctx.survivors.to(sessionRoom(s.id)).emit(event, payload);
  else ctx.staff.to(staffRoom(s.counselor as string)).emit(event, payload);
  touch(ctx, s);
}

export async function forwardFrame(
  ctx: RelayContext,
  sender: Sender,
  frame: Frame,
): Promise<RelayErrorCode | null> {
  const routed = await route(ctx, sender, frame);
  if (typeof routed === "string") return routed;
  const out: Frame = {
    sessionId: frame.sessionId,
    epoch: frame.epoch,
    seq: frame.seq,
    ciphertext: wire(frame.ciphertext),
  };
  emitTo(ctx, sender, routed, "frame", out);
  return null;
}

export async function forwardAck(
  ctx: RelayContext,
  sender: Sender,
  ack: Ack,
): Promise<RelayErrorCode | null> {
  const routed = await route(ctx, sender, ack);
  if (typeof routed === "string") return routed;
  emitTo(ctx, sender, routed, "ack", { sessionId: ack.sessionId, epoch: ack.epoch, seq: ack.seq });
  return null;
}

/**
 * Records activity for the idle timeout, at most a few times per timeout period: a store write
 * per frame would cost more than the forwarding itself.
 */
function touch(ctx: RelayContext, s: SessionRecord): void {
  const now = ctx.deps.now();
  if (now - s.lastActivity < ctx.options.idleTimeoutMs / 20) return;
  mutate(ctx, s.id, (c) => ({ ...c, lastActivity: now })).catch(() => {
    ctx.log.warn("activity update failed");
  });
}
