import { randomBytes } from "node:crypto";
import {
  MAX_SIDE_PER_STAFF,
  parse,
  type SessionId,
  SideAskSchema,
  type SideEndReason,
  SideHelloSchema,
  SideIdSchema,
  SideMessageSchema,
  SideRefSchema,
  type SideRequests,
  type StaffId,
  shortId,
} from "../../shared/protocol/index.ts";
import type { SideRecord } from "../state/records.ts";
import { type RelayContext, recordExpiry, SUPERVISORS_ROOM, staffRoom } from "./context.ts";
import type { StaffPrincipal } from "./deps.ts";
import { type Gate, on } from "./safe-handler.ts";
import { wire } from "./wire.ts";

/**
 * "Ask a supervisor" (PROTOCOL.md "Side conversation"). The relay pairs a counselor with the
 * supervisor who opens the request and forwards opaque bytes between exactly those two staff
 * members; it cannot read them (the two consoles agree keys by a signed exchange it only
 * forwards). The request lives in the relay store (memory, or Redis with several nodes, with an
 * expiry like a session's), so the two may be connected to different nodes; every message goes
 * to the other party's staff room, which the socket.io adapter reaches on any node. Never in a
 * log line: the chat's session id is kept only to end the conversation with the chat.
 */

/** How often one node checks that each side conversation's chat is still the asker's. */
const CHECK_MS = 2000;
const checks = new WeakMap<RelayContext, ReturnType<typeof setInterval>>();

const partyOf = (r: SideRecord, id: StaffId) => r.counselor === id || r.supervisor === id;
const countFor = (sides: readonly SideRecord[], id: StaffId) => sides.filter((r) => partyOf(r, id)).length;

/** The requests nobody has opened: who asked and how long ago, nothing else. */
function snapshot(sides: readonly SideRecord[], now: number): SideRequests {
  return {
    requests: sides
      .filter((r) => r.phase === "asked")
      .sort((a, b) => a.askedAt - b.askedAt)
      .map((r) => ({
        requestId: r.id,
        counselor: r.counselor,
        counselorName: r.counselorName,
        waitingSeconds: Math.max(0, Math.round((now - r.askedAt) / 1000)),
      })),
  };
}

/** To every supervisor and admin, on every node: the list is the store's, the same everywhere. */
async function announce(ctx: RelayContext): Promise<void> {
  const sides = await ctx.store.listSides();
  ctx.staff.to(SUPERVISORS_ROOM).emit("side-requests", snapshot(sides, ctx.deps.now()));
}

/** Ends it once: only the caller whose delete removed the record tells the two parties. */
async function drop(ctx: RelayContext, record: SideRecord, reason: SideEndReason): Promise<void> {
  if (!(await ctx.store.deleteSide(record.id))) return;
  for (const id of new Set([record.counselor, record.supervisor])) {
    if (id) ctx.staff.to(staffRoom(id)).emit("side-ended", { requestId: record.id, reason });
  }
  if (record.phase === "asked") await announce(ctx);
  ctx.log.info({ side: shortId(record.id), reason }, "side conversation ended");
}

/** The chat ended (or was handed on): its side conversation goes with it. Called by endSession. */
export async function dropSidesOfSession(ctx: RelayContext, sessionId: SessionId): Promise<void> {
  for (const r of await ctx.store.listSides())
    if (r.sessionId === sessionId) await drop(ctx, r, "chat-ended");
}

/**
 * A new console page of this staff member took the desk: the side conversations (and requests)
 * of the page it replaced end, since their keys lived there. Before, a reloaded supervisor's
 * console was back within the grace, so the counselor kept writing to a conversation nobody
 * could read any more.
 */
export async function dropSidesOf(ctx: RelayContext, staffId: StaffId): Promise<void> {
  for (const r of await ctx.store.listSides()) if (partyOf(r, staffId)) await drop(ctx, r, "gone");
}

/** Whether the chat a request is about is still this counselor's own live chat. */
async function chatStillTheirs(ctx: RelayContext, r: SideRecord): Promise<boolean> {
  const s = await ctx.store.getSession(r.sessionId);
  return s !== null && s.counselor === r.counselor && (s.state === "active" || s.state === "assigned");
}

/** A party with no connection on any node for the whole reconnection grace (or released since). */
async function partyGone(ctx: RelayContext, r: SideRecord, now: number): Promise<boolean> {
  for (const id of [r.counselor, r.supervisor]) {
    if (!id) continue;
    const p = await ctx.store.getStaff(id);
    if (!p) return true;
    if (
      p.connections === 0 &&
      p.disconnectedAt !== null &&
      now - p.disconnectedAt >= ctx.options.resumeGraceMs
    )
      return true;
  }
  return false;
}

/**
 * Transfers, endings and departures on any node (a node that died included) reach every side
 * conversation by this check, run by one node per period. It also keeps live records from
 * expiring: each lives at most as long as a session record could without a write.
 */
async function check(ctx: RelayContext): Promise<void> {
  if (!(await ctx.store.claimTimer("side-check", CHECK_MS - 10))) return;
  const now = ctx.deps.now();
  const refreshBelow = (recordExpiry(ctx, now) - now) / 2;
  for (const r of await ctx.store.listSides()) {
    if (await partyGone(ctx, r, now)) await drop(ctx, r, "gone");
    else if (!(await chatStillTheirs(ctx, r))) await drop(ctx, r, "chat-ended");
    else if (r.expiresAt - now < refreshBelow)
      await ctx.store.updateSide({ ...r, version: r.version + 1, expiresAt: recordExpiry(ctx, now) });
  }
}

/** Started by this node's first staff connection; stops itself when the relay closes. */
function watch(ctx: RelayContext): void {
  if (checks.has(ctx)) return;
  const timer = setInterval(() => {
    if (ctx.closing()) {
      clearInterval(timer);
      return;
    }
    check(ctx).catch(() => ctx.log.warn("side conversation check failed"));
  }, CHECK_MS);
  timer.unref();
  checks.set(ctx, timer);
}

type StaffSocket = Parameters<Parameters<RelayContext["staff"]["on"]>[1]>[0];

export function onSideChannel(ctx: RelayContext, socket: StaffSocket, gate: Gate): void {
  const me: StaffPrincipal = socket.data.principal;
  watch(ctx);
  if (me.role !== "counselor") {
    ctx.store.listSides().then(
      (sides) => socket.emit("side-requests", snapshot(sides, ctx.deps.now())),
      () => ctx.log.warn("side conversation list failed"),
    );
  }

  /** Compare-and-set from the phase the caller checked: false if another node moved it first. */
  const advance = (r: SideRecord, change: Partial<Pick<SideRecord, "supervisor" | "phase">>) =>
    ctx.store.updateSide({
      ...r,
      ...change,
      version: r.version + 1,
      expiresAt: recordExpiry(ctx, ctx.deps.now()),
    });

  on(socket, "side-ask", gate, {
    schema: SideAskSchema,
    // One node at a time, so one request per chat holds against a double click; two tabs of the
    // same counselor on two nodes asking in the same instant could both get one (harmless).
    handler: ({ sessionId }, { reply, refuse }) =>
      ctx.serial(async () => {
        const s = await ctx.store.getSession(sessionId);
        if (!s || s.counselor !== me.id) return refuse("not-your-session");
        if (s.state !== "active") return refuse("bad-state");
        const sides = await ctx.store.listSides();
        if (sides.some((r) => r.sessionId === sessionId)) return refuse("bad-state");
        if (countFor(sides, me.id) >= MAX_SIDE_PER_STAFF) return refuse("rate-limited");
        const minted = parse(SideIdSchema, randomBytes(16).toString("base64url"));
        if (!minted.ok) return refuse("internal");
        const now = ctx.deps.now();
        const record: SideRecord = {
          id: minted.value,
          version: 0,
          counselor: me.id,
          counselorName: me.displayName,
          sessionId,
          askedAt: now,
          supervisor: null,
          phase: "asked",
          expiresAt: recordExpiry(ctx, now),
        };
        if (!(await ctx.store.createSide(record))) return refuse("internal");
        reply({ ok: true, requestId: record.id });
        await announce(ctx);
        ctx.log.info({ side: shortId(record.id), staff: shortId(me.id) }, "supervisor asked for");
      }),
  });

  on(socket, "side-open", gate, {
    schema: SideHelloSchema,
    handler: async ({ requestId, hello }, { reply, refuse }) => {
      if (me.role === "counselor") return refuse("forbidden");
      const r = await ctx.store.getSide(requestId);
      if (!r) return refuse("unknown-session");
      if (r.counselor === me.id) return refuse("forbidden");
      if (r.phase !== "asked") return refuse("bad-state");
      if (countFor(await ctx.store.listSides(), me.id) >= MAX_SIDE_PER_STAFF) return refuse("rate-limited");
      // Two supervisors opening at once (on any nodes): one write wins, the other is refused.
      if (!(await advance(r, { supervisor: me.id, phase: "offered" }))) return refuse("bad-state");
      ctx.staff.to(staffRoom(r.counselor)).emit("side-opened", { requestId, hello: wire(hello) });
      reply({ ok: true });
      await announce(ctx);
      ctx.log.info({ side: shortId(r.id), staff: shortId(me.id) }, "side conversation opened");
    },
  });

  on(socket, "side-join", gate, {
    schema: SideHelloSchema,
    handler: async ({ requestId, hello }, { reply, refuse }) => {
      const r = await ctx.store.getSide(requestId);
      if (!r || r.counselor !== me.id) return refuse("unknown-session");
      if (r.phase !== "offered" || !r.supervisor) return refuse("bad-state");
      if (!(await advance(r, { phase: "open" }))) return refuse("bad-state");
      ctx.staff.to(staffRoom(r.supervisor)).emit("side-joined", { requestId, hello: wire(hello) });
      reply({ ok: true });
    },
  });

  on(socket, "side-message", gate, {
    schema: SideMessageSchema,
    handler: async ({ requestId, seq, ciphertext }, { reply, refuse }) => {
      const r = await ctx.store.getSide(requestId);
      // Threat: a third staff member injecting into (or probing) someone else's conversation.
      if (!r || !partyOf(r, me.id)) return refuse("unknown-session");
      if (r.phase !== "open" || !r.supervisor) return refuse("bad-state");
      if (!(await chatStillTheirs(ctx, r))) {
        await drop(ctx, r, "chat-ended");
        return refuse("bad-state");
      }
      const to = r.counselor === me.id ? r.supervisor : r.counselor;
      ctx.staff.to(staffRoom(to)).emit("side-message", { requestId, seq, ciphertext: wire(ciphertext) });
      reply({ ok: true });
    },
  });

  on(socket, "side-end", gate, {
    schema: SideRefSchema,
    handler: async ({ requestId }, { reply, refuse }) => {
      const r = await ctx.store.getSide(requestId);
      if (!r || !partyOf(r, me.id)) return refuse("unknown-session");
      await drop(ctx, r, r.phase === "asked" ? "cancelled" : "ended");
      reply({ ok: true });
    },
  });

  // Gone for good: no connection of theirs (on any node) came back within the reconnection
  // grace. A console that reconnects sooner keeps its keys (they live in its worker), so the
  // conversation goes on. The periodic check does the same for a node that died.
  socket.on("disconnect", () => {
    if (ctx.closing()) return;
    const timer = setTimeout(() => {
      void (async () => {
        if (ctx.closing()) return;
        const presence = await ctx.store.getStaff(me.id);
        if (presence && presence.connections > 0) return;
        for (const r of await ctx.store.listSides()) if (partyOf(r, me.id)) await drop(ctx, r, "gone");
      })().catch(() => ctx.log.warn("side conversation release failed"));
    }, ctx.options.resumeGraceMs);
    timer.unref();
  });
}
