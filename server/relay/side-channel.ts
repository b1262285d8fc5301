import { randomBytes } from "node:crypto";
import {
  MAX_SIDE_PER_STAFF,
  parse,
  type SessionId,
  SideAskSchema,
  type SideEndReason,
  SideHelloSchema,
  type SideId,
  SideIdSchema,
  SideMessageSchema,
  SideRefSchema,
  type SideRequests,
  type StaffId,
  shortId,
} from "../../shared/protocol/index.ts";
import { type RelayContext, SUPERVISORS_ROOM, staffRoom } from "./context.ts";
import type { StaffPrincipal } from "./deps.ts";
import { type Gate, on } from "./safe-handler.ts";
import { wire } from "./wire.ts";

/**
 * "Ask a supervisor" (PROTOCOL.md "Side conversation"). The relay pairs a counselor with the
 * supervisor who opens the request and forwards opaque bytes between exactly those two staff
 * members; it cannot read them (the two consoles agree keys by a signed exchange it only
 * forwards). Held in this node's memory only, never in the store or a log line: the chat's
 * session id is kept to drop the conversation when the chat ends, and never leaves this map.
 */
type SideRecord = {
  readonly id: SideId;
  readonly counselor: StaffId;
  readonly counselorName: string;
  readonly sessionId: SessionId;
  readonly askedAt: number;
  supervisor: StaffId | null;
  phase: "asked" | "offered" | "open";
};

type Registry = { records: Map<SideId, SideRecord>; timer: ReturnType<typeof setInterval> | null };

const registries = new WeakMap<RelayContext, Registry>();
/** How often the relay checks that each side conversation's chat is still the asker's. */
const CHAT_CHECK_MS = 2000;

function registry(ctx: RelayContext): Registry {
  let r = registries.get(ctx);
  if (!r) {
    r = { records: new Map(), timer: null };
    registries.set(ctx, r);
  }
  return r;
}

const partyOf = (r: SideRecord, id: StaffId) => r.counselor === id || r.supervisor === id;
const countFor = (ctx: RelayContext, id: StaffId) =>
  [...registry(ctx).records.values()].filter((r) => partyOf(r, id)).length;

/** The requests nobody has opened: who asked and how long ago, nothing else. */
function snapshot(ctx: RelayContext): SideRequests {
  const now = ctx.deps.now();
  return {
    requests: [...registry(ctx).records.values()]
      .filter((r) => r.phase === "asked")
      .map((r) => ({
        requestId: r.id,
        counselor: r.counselor,
        counselorName: r.counselorName,
        waitingSeconds: Math.max(0, Math.round((now - r.askedAt) / 1000)),
      })),
  };
}

/**
 * To this node's supervisors only: the list is this node's, and with several nodes another
 * node's list would replace it on every change (PROTOCOL.md: a known limitation).
 */
const announce = (ctx: RelayContext) =>
  ctx.staff.local.to(SUPERVISORS_ROOM).emit("side-requests", snapshot(ctx));

function drop(ctx: RelayContext, record: SideRecord, reason: SideEndReason): void {
  const reg = registry(ctx);
  if (!reg.records.delete(record.id)) return;
  for (const id of new Set([record.counselor, record.supervisor])) {
    if (id) ctx.staff.to(staffRoom(id)).emit("side-ended", { requestId: record.id, reason });
  }
  if (record.phase === "asked") announce(ctx);
  ctx.log.info({ side: shortId(record.id), reason }, "side conversation ended");
  if (reg.records.size === 0 && reg.timer) {
    clearInterval(reg.timer);
    reg.timer = null;
  }
}

/** The chat ended (or was handed on): its side conversation goes with it. Called by endSession. */
export function dropSidesOfSession(ctx: RelayContext, sessionId: SessionId): void {
  for (const r of [...registry(ctx).records.values()])
    if (r.sessionId === sessionId) drop(ctx, r, "chat-ended");
}

/** Whether the chat a request is about is still this counselor's own live chat. */
async function chatStillTheirs(ctx: RelayContext, r: SideRecord): Promise<boolean> {
  const s = await ctx.store.getSession(r.sessionId);
  return s !== null && s.counselor === r.counselor && (s.state === "active" || s.state === "assigned");
}

/** Transfers and endings on another node reach this map by this check (ended chats also directly). */
function watchChats(ctx: RelayContext): void {
  const reg = registry(ctx);
  if (reg.timer) return;
  reg.timer = setInterval(() => {
    if (ctx.closing()) {
      if (reg.timer) clearInterval(reg.timer);
      reg.timer = null;
      reg.records.clear();
      return;
    }
    void (async () => {
      for (const r of [...reg.records.values()])
        if (!(await chatStillTheirs(ctx, r))) drop(ctx, r, "chat-ended");
    })().catch(() => ctx.log.warn("side conversation check failed"));
  }, CHAT_CHECK_MS);
  reg.timer.unref();
}

type StaffSocket = Parameters<Parameters<RelayContext["staff"]["on"]>[1]>[0];

export function onSideChannel(ctx: RelayContext, socket: StaffSocket, gate: Gate): void {
  const me: StaffPrincipal = socket.data.principal;
  const reg = registry(ctx);
  if (me.role !== "counselor") socket.emit("side-requests", snapshot(ctx));

  const find = (id: SideId) => reg.records.get(id) ?? null;

  on(socket, "side-ask", gate, {
    schema: SideAskSchema,
    handler: async ({ sessionId }, { reply, refuse }) => {
      const s = await ctx.store.getSession(sessionId);
      if (!s || s.counselor !== me.id) return refuse("not-your-session");
      if (s.state !== "active") return refuse("bad-state");
      if ([...reg.records.values()].some((r) => r.sessionId === sessionId)) return refuse("bad-state");
      if (countFor(ctx, me.id) >= MAX_SIDE_PER_STAFF) return refuse("rate-limited");
      const minted = parse(SideIdSchema, randomBytes(16).toString("base64url"));
      if (!minted.ok) return refuse("internal");
      const record: SideRecord = {
        id: minted.value,
        counselor: me.id,
        counselorName: me.displayName,
        sessionId,
        askedAt: ctx.deps.now(),
        supervisor: null,
        phase: "asked",
      };
      reg.records.set(record.id, record);
      watchChats(ctx);
      reply({ ok: true, requestId: record.id });
      announce(ctx);
      ctx.log.info({ side: shortId(record.id), staff: shortId(me.id) }, "supervisor asked for");
    },
  });

  on(socket, "side-open", gate, {
    schema: SideHelloSchema,
    handler: ({ requestId, hello }, { reply, refuse }) => {
      if (me.role === "counselor") return refuse("forbidden");
      const r = find(requestId);
      if (!r) return refuse("unknown-session");
      if (r.counselor === me.id) return refuse("forbidden");
      if (r.phase !== "asked") return refuse("bad-state");
      if (countFor(ctx, me.id) >= MAX_SIDE_PER_STAFF) return refuse("rate-limited");
      r.supervisor = me.id;
      r.phase = "offered";
      ctx.staff.to(staffRoom(r.counselor)).emit("side-opened", { requestId, hello: wire(hello) });
      reply({ ok: true });
      announce(ctx);
      ctx.log.info({ side: shortId(r.id), staff: shortId(me.id) }, "side conversation opened");
    },
  });

  on(socket, "side-join", gate, {
    schema: SideHelloSchema,
    handler: ({ requestId, hello }, { reply, refuse }) => {
      const r = find(requestId);
      if (!r || r.counselor !== me.id) return refuse("unknown-session");
      if (r.phase !== "offered" || !r.supervisor) return refuse("bad-state");
      r.phase = "open";
      ctx.staff.to(staffRoom(r.supervisor)).emit("side-joined", { requestId, hello: wire(hello) });
      reply({ ok: true });
    },
  });

  on(socket, "side-message", gate, {
    schema: SideMessageSchema,
    handler: async ({ requestId, seq, ciphertext }, { reply, refuse }) => {
      const r = find(requestId);
      // Threat: a third staff member injecting into (or probing) someone else's conversation.
      if (!r || !partyOf(r, me.id)) return refuse("unknown-session");
      if (r.phase !== "open" || !r.supervisor) return refuse("bad-state");
      if (!(await chatStillTheirs(ctx, r))) {
        drop(ctx, r, "chat-ended");
        return refuse("bad-state");
      }
      const to = r.counselor === me.id ? r.supervisor : r.counselor;
      ctx.staff.to(staffRoom(to)).emit("side-message", { requestId, seq, ciphertext: wire(ciphertext) });
      reply({ ok: true });
    },
  });

  on(socket, "side-end", gate, {
    schema: SideRefSchema,
    handler: ({ requestId }, { reply, refuse }) => {
      const r = find(requestId);
      if (!r || !partyOf(r, me.id)) return refuse("unknown-session");
      drop(ctx, r, r.phase === "asked" ? "cancelled" : "ended");
      reply({ ok: true });
    },
  });

  // Gone for good: no connection of theirs came back within the reconnection grace. A console
  // that reconnects sooner keeps its keys (they live in its worker), so the conversation goes on.
  socket.on("disconnect", () => {
    if (ctx.closing() || countFor(ctx, me.id) === 0) return;
    const timer = setTimeout(() => {
      void (async () => {
        if (ctx.closing()) return;
        const presence = await ctx.store.getStaff(me.id);
        if (presence && presence.connections > 0) return;
        for (const r of [...reg.records.values()]) if (partyOf(r, me.id)) drop(ctx, r, "gone");
      })().catch(() => ctx.log.warn("side conversation release failed"));
    }, ctx.options.resumeGraceMs);
    timer.unref();
  });
}
