import type { Ack, Frame, RelayErrorCode, SessionId, StaffId } from "../../shared/protocol/index.ts";
import type { Namespace } from "socket.io";
import type { SessionRecord } from "../state/records.ts";
import type { OrderedAdapter } from "../state/streams-adapter.ts";
import { type RelayContext, sessionRoom, staffRoom } from "./context.ts";
import { mutate } from "./sessions.ts";
import { wire } from "./wire.ts";

/** Who is sending: the survivor socket of the session, or a counselor by id. */
export type Sender = Readonly<{ side: "survivor"; socketId: string } | { side: "staff"; staffId: StaffId }>;

/** What routing needs of a session record: opaque ids, numbers and its state, no key. */
type Route = Pick<
  SessionRecord,
  "id" | "version" | "state" | "epoch" | "counselor" | "survivorSocket" | "lastActivity"
>;

/** The route, and for a survivor's message the counselor's connections (all nodes). */
type Routed = Readonly<{ s: Route; counselorConnections: number }>;

/**
 * Routes this node has read, by session: a frame then reads the stored record's version only
 * (a few bytes; records never change without a new version) and decodes the record only when it
 * changed. Kept for a minute at most and for at most `ROUTES_KEPT` sessions, dropped when the
 * record is gone.
 */
type Routes = Map<SessionId, Readonly<{ route: Route; at: number }>>;
const ROUTE_MS = 60_000;
const ROUTES_KEPT = 10_000;
const routesOf = new WeakMap<RelayContext, Routes>();

function keep(ctx: RelayContext, routes: Routes, s: SessionRecord): Route {
  const route: Route = {
    id: s.id,
    version: s.version,
    state: s.state,
    epoch: s.epoch,
    counselor: s.counselor,
    survivorSocket: s.survivorSocket,
    lastActivity: s.lastActivity,
  };
  const now = ctx.deps.now();
  routes.delete(s.id);
  routes.set(s.id, { route, at: now });
  // Oldest first (insertion order): drop what is stale or over the bound.
  for (const [id, kept] of routes) {
    if (routes.size <= ROUTES_KEPT && now - kept.at < ROUTE_MS) break;
    routes.delete(id);
  }
  return route;
}

/**
 * The session's current route and, for a survivor's message, its counselor's presence. With a
 * route kept, the version and the presence are read together (one round trip to Redis).
 */
async function current(ctx: RelayContext, sender: Sender, id: SessionId) {
  let routes = routesOf.get(ctx);
  if (!routes) {
    routes = new Map();
    routesOf.set(ctx, routes);
  }
  const kept = routes.get(id);
  const fresh = kept && ctx.deps.now() - kept.at < ROUTE_MS ? kept.route : null;
  const counselorOf = (r: Route | null) => (sender.side === "survivor" ? (r?.counselor ?? null) : null);
  const staffOf = (staffId: StaffId | null) => (staffId ? ctx.store.getStaff(staffId) : null);
  if (fresh) {
    const [version, presence] = await Promise.all([
      ctx.store.sessionVersion(id),
      staffOf(counselorOf(fresh)),
    ]);
    if (version === fresh.version) return { route: fresh, presence };
  }
  const s = await ctx.store.getSession(id);
  if (!s) {
    routes.delete(id);
    return { route: null, presence: null };
  }
  const route = keep(ctx, routes, s);
  return { route, presence: await staffOf(counselorOf(route)) };
}

/**
 * Checks that the sender holds this session at its current epoch and the other side is
 * connected, then forwards. Nothing is buffered: a frame for a disconnected peer is refused
 * (`peer-offline`) and stays in the sender's unacknowledged buffer for resending after `resume`.
 */
async function route(
  ctx: RelayContext,
  sender: Sender,
  message: Frame | Ack,
): Promise<RelayErrorCode | Routed> {
  const { route: s, presence } = await current(ctx, sender, message.sessionId);
  if (!s) return sender.side === "staff" ? "not-your-session" : "unknown-session";
  if (sender.side === "staff" ? s.counselor !== sender.staffId : s.survivorSocket !== sender.socketId) {
    return "not-your-session";
  }
  if (message.epoch !== s.epoch) return "stale-epoch";
  if (s.state !== "active" || !s.counselor) return "bad-state";
  if (sender.side === "staff") {
    if (s.survivorSocket === null) return "peer-offline";
    return { s, counselorConnections: 0 };
  }
  if (!presence || presence.connections === 0) return "peer-offline";
  return { s, counselorConnections: presence.countedAnywhere ?? presence.connections };
}

/**
 * True when every socket `room` should reach is on this node, and no emit from this node to the
 * room is still on its way through the streams adapter: the frame then goes to those sockets
 * directly (`local`), without the append to the Redis stream that every other node would read
 * and drop. Never with the in-memory adapter (one node), where a room emit is local already.
 */
function onlyHere(nsp: Namespace, room: string, all: (members: ReadonlySet<string>) => boolean) {
  const adapter = nsp.adapter as Namespace["adapter"] & Partial<OrderedAdapter>;
  if (adapter.sendingTo === undefined || adapter.sendingTo(room)) return false;
  const members = adapter.rooms.get(room);
  return members !== undefined && all(members);
}

function emitTo(
  ctx: RelayContext,
  sender: Sender,
  routed: Routed,
  event: "frame" | "ack",
  payload: Frame | Ack,
) {
  const { s } = routed;
  if (sender.side === "staff") {
    const room = sessionRoom(s.id);
    // The survivor's socket (one per session) is here and in the room.
    const here = onlyHere(ctx.survivors, room, (m) => s.survivorSocket !== null && m.has(s.survivorSocket));
    (here ? ctx.survivors.local : ctx.survivors).to(room).emit(event, payload);
  } else {
    const counselor = s.counselor as StaffId;
    const room = staffRoom(counselor);
    // Every socket the store counts for the counselor (all nodes, a node whose heartbeat is
    // late included: it may be stalled, not dead) is one this node counted and is in the room
    // here: a socket that joined but is not counted yet goes the long way too.
    const counted = ctx.store.connectionsHere(counselor);
    const here = onlyHere(
      ctx.staff,
      room,
      (m) => counted === routed.counselorConnections && m.size === counted,
    );
    (here ? ctx.staff.local : ctx.staff).to(room).emit(event, payload);
  }
  touch(ctx, s);
}

/**
 * The last forward of each sender (a survivor's socket, or a counselor's chat), so that what one
 * sender sent goes out in the order it arrived: look-ups run at once, but a route read from the
 * kept copy takes one round trip and one read afresh (the record changed: a resume, an activity
 * update) two or three, so a later frame could otherwise overtake an earlier one, and the
 * receiver drops a frame out of order as a gap.
 */
const lastForward = new Map<string, Promise<unknown>>();

function inOrder<T>(key: string, work: Promise<T>): Promise<T> {
  const before = lastForward.get(key);
  const mine = before ? before.then(() => work) : work;
  const settled = mine.catch(() => undefined);
  lastForward.set(key, settled);
  void settled.then(() => {
    if (lastForward.get(key) === settled) lastForward.delete(key);
  });
  return mine;
}

const senderKey = (sender: Sender, sessionId: SessionId) =>
  sender.side === "survivor" ? `s:${sender.socketId}` : `c:${sender.staffId}:${sessionId}`;

export async function forwardFrame(
  ctx: RelayContext,
  sender: Sender,
  frame: Frame,
): Promise<RelayErrorCode | null> {
  const routed = await inOrder(senderKey(sender, frame.sessionId), route(ctx, sender, frame));
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
  const routed = await inOrder(senderKey(sender, ack.sessionId), route(ctx, sender, ack));
  if (typeof routed === "string") return routed;
  emitTo(ctx, sender, routed, "ack", { sessionId: ack.sessionId, epoch: ack.epoch, seq: ack.seq });
  return null;
}

/**
 * Records activity for the idle timeout, at most a few times per timeout period: a store write
 * per frame would cost more than the forwarding itself.
 */
function touch(ctx: RelayContext, s: Route): void {
  const now = ctx.deps.now();
  if (now - s.lastActivity < ctx.options.idleTimeoutMs / 20) return;
  mutate(ctx, s.id, (c) => ({ ...c, lastActivity: now })).catch(() => {
    ctx.log.warn("activity update failed");
  });
}
