import {
  AcceptSchema,
  AckSchema,
  type Assigned,
  ClearSilentSchema,
  FrameSchema,
  ReclaimSchema,
  SetStatusSchema,
  StaffLeaveSchema,
  type StaffId,
  shortId,
  TakeSchema,
  TransferSchema,
  WAITING_KEEPALIVE_MS,
} from "../../shared/protocol/index.ts";
import { autoAssign, take } from "./assignment.ts";
import { type RelayContext, STAFF_ALL_ROOM, SUPERVISORS_ROOM, sessionRoom, staffRoom } from "./context.ts";
import { forwardAck, forwardFrame } from "./forward.ts";
import { helloOf, isReplaced, takeOverDesk } from "./desk.ts";
import { reclaim, rekeyForTransfer, targetGone, targetRefusal } from "./handover.ts";
import { socketGates } from "./rate-limit.ts";
import { on } from "./safe-handler.ts";
import { endSession, mutate } from "./sessions.ts";
import { onSideChannel } from "./side-channel.ts";
import { classifyFrame, own, relayError, wire } from "./wire.ts";
import { issueWrapupToken } from "./wrapup-tokens.ts";

type StaffSocket = Parameters<Parameters<RelayContext["staff"]["on"]>[1]>[0];

/**
 * Tells the survivors of this counselor's live chats whether the counselor is reachable. On a
 * connection, `socket` (the one that just came) is also told which of those survivors are
 * connected: a survivor who resumed before this socket joined its staff room (both sides' node
 * died, and the survivor was quicker) sent its `peer` to nobody.
 */
async function announcePresence(
  ctx: RelayContext,
  staffId: StaffId,
  connected: boolean,
  socket?: StaffSocket,
): Promise<void> {
  // Their chats only (the store's index of each staff member's held sessions), not every record.
  for (const s of await ctx.store.heldSessionsOf(staffId)) {
    if (s.counselor === staffId && s.state === "active") {
      ctx.survivors.to(sessionRoom(s.id)).emit("peer", { sessionId: s.id, connected });
      if (socket && s.survivorSocket !== null) socket.emit("peer", { sessionId: s.id, connected: true });
    }
  }
}

export function onStaffConnection(ctx: RelayContext, socket: StaffSocket): void {
  const me = socket.data.principal;
  const { gate, acks } = socketGates(socket, ctx.options, ctx.deps.now, ctx.log, relayError);

  void socket.join([
    staffRoom(me.id),
    STAFF_ALL_ROOM,
    ...(me.role === "counselor" ? [] : [SUPERVISORS_ROOM]),
  ]);
  const hello = helloOf(socket.handshake.auth);
  /** Counted in the store's connections (a replaced desk's socket never is). */
  let counted = false;
  ctx
    .serial(async () => {
      const before = await ctx.store.getStaff(me.id);
      // Checked again here, in turn with the takeover: a desk replaced between the middleware's
      // check and now must not join the chats' new desk.
      if (isReplaced(before, hello)) {
        socket.emit("replaced");
        socket.disconnect(true);
        return;
      }
      // A reconnect within the grace period keeps the status; a fresh login starts away. Only a
      // fresh desk replaces the stored one: another node may have taken it since the check above.
      await ctx.store.connectStaff(
        {
          id: me.id,
          displayName: me.displayName,
          role: me.role,
          certified: me.certified,
          chatLimit: me.chatLimit,
          languages: me.languages,
          status: "away",
          connections: 1,
          disconnectedAt: null,
          ...(hello ? { desk: hello.desk } : {}),
        },
        hello?.fresh === true,
      );
      counted = true;
      if (hello?.fresh) await takeOverDesk(ctx, me.id, socket.id);
      // Told on every connection, not only the first: a node that died still counts its sockets
      // until its heartbeat is stale, and survivors resend unacknowledged frames on this.
      await announcePresence(ctx, me.id, true, socket);
      ctx.log.info({ staff: shortId(me.id) }, "staff connected");
      ctx.changed();
    })
    .catch(() => ctx.log.warn("staff connect handling failed"));

  onSideChannel(ctx, socket, gate);

  on(socket, "status", gate, {
    schema: SetStatusSchema,
    handler: ({ status }, { reply, refuse }) =>
      ctx.serial(async () => {
        const p = await ctx.store.getStaff(me.id);
        if (!p) return refuse("bad-state");
        await ctx.store.putStaff({ ...p, status });
        reply({ ok: true });
        ctx.changed();
        if (status === "available") await autoAssign(ctx);
      }),
  });

  on(socket, "take", gate, {
    schema: TakeSchema,
    handler: ({ sessionId }, { reply, refuse }) =>
      ctx.serial(async () => {
        const result = await take(ctx, me.id, sessionId);
        if (!result.ok) return refuse(result.error);
        reply({ ok: true, assigned: result.assigned satisfies Assigned });
      }),
  });

  on(socket, "accept", gate, {
    schema: AcceptSchema,
    handler: (accept, { reply, refuse }) =>
      ctx.serial(async () => {
        const s = await ctx.store.getSession(accept.sessionId);
        // Gone: the chat ended (a sweep on another node may have ended it just as it was
        // assigned here); the console shows it ended instead of a failed handshake.
        if (!s) return refuse("unknown-session");
        if (s.counselor !== me.id) return refuse("not-your-session");
        if (s.state !== "assigned") return refuse("bad-state");
        if (accept.epoch !== s.epoch) return refuse("stale-epoch");
        const handshake = own(accept.handshake);
        const next = await mutate(ctx, s.id, (c) =>
          c.state === "assigned" && c.counselor === me.id && c.epoch === accept.epoch
            ? {
                ...c,
                state: "active",
                handshake,
                previousCounselor: null,
                transfer: null,
                lastActivity: ctx.deps.now(),
              }
            : null,
        );
        if (!next) return refuse("bad-state");
        ctx.survivors
          .to(sessionRoom(s.id))
          .emit("accepted", { sessionId: s.id, epoch: s.epoch, handshake: wire(handshake) });
        if (s.previousCounselor && s.previousCounselor !== me.id) {
          ctx.staff
            .to(staffRoom(s.previousCounselor))
            .emit("ended", { sessionId: s.id, reason: "transferred" });
        }
        reply({ ok: true });
        ctx.changed();
      }),
  });

  on(socket, "transfer", gate, {
    schema: TransferSchema,
    handler: (transfer, { reply, refuse }) =>
      ctx.serial(async () => {
        const s = await ctx.store.getSession(transfer.sessionId);
        if (!s || s.counselor !== me.id) return refuse("not-your-session");
        if (s.state !== "active" && s.state !== "assigned") return refuse("bad-state");
        if (transfer.to === me.id) return refuse("bad-request");
        // Checked before the epoch moves: a refused transfer leaves the chat exactly as it was.
        const refusal = await targetRefusal(ctx, await ctx.store.getStaff(transfer.to), s);
        if (refusal) return refuse(refusal);
        const note = transfer.note ? own(transfer.note) : undefined;
        const info = note
          ? { from: me.id, fromName: me.displayName, note }
          : { from: me.id, fromName: me.displayName };
        const next = await rekeyForTransfer(ctx, s, transfer.to, info);
        if (!next) return refuse("bad-state");
        ctx.log.info(
          { session: shortId(s.id), from: shortId(me.id), to: shortId(transfer.to) },
          "transfer started",
        );
        reply({ ok: true });
      }),
  });

  on(socket, "reclaim", gate, {
    schema: ReclaimSchema,
    handler: (choice, { reply, refuse }) =>
      ctx.serial(async () => {
        const s = await ctx.store.getSession(choice.sessionId);
        if (!s || s.previousCounselor !== me.id) return refuse("not-your-session");
        if (s.state !== "held") return refuse("bad-state");
        if (!(await reclaim(ctx, s, me, choice.to))) return refuse("bad-state");
        ctx.log.info({ session: shortId(s.id), to: choice.to }, "held handover reclaimed");
        reply({ ok: true });
      }),
  });

  on(socket, "frame", gate, {
    schema: FrameSchema,
    classify: classifyFrame,
    handler: async (frame, { reply, refuse }) => {
      const error = await forwardFrame(ctx, { side: "staff", staffId: me.id }, frame);
      if (error) return refuse(error);
      reply({ ok: true });
    },
  });

  on(socket, "ack", acks, {
    schema: AckSchema,
    handler: async (ack) => {
      await forwardAck(ctx, { side: "staff", staffId: me.id }, ack);
    },
  });

  on(socket, "leave", gate, {
    schema: StaffLeaveSchema,
    handler: (leave, { reply, refuse }) =>
      ctx.serial(async () => {
        const s = await ctx.store.getSession(leave.sessionId);
        if (!s || s.counselor !== me.id) return refuse("not-your-session");
        const ended = await endSession(
          ctx,
          { ...s, previousCounselor: null },
          { survivor: "counselor-ended", staff: null },
        );
        // Only the caller that ended the chat hands out its token (else `ended` already did).
        const wrapup = ended ? await issueWrapupToken(ctx.store, me.id, ctx.deps.now()) : null;
        reply({ ok: true, ...(wrapup ? { wrapup } : {}) });
        await autoAssign(ctx);
      }),
  });

  on(socket, "clear-silent", gate, {
    schema: ClearSilentSchema,
    handler: (_clear, { reply, refuse }) =>
      ctx.serial(async () => {
        if (me.role === "counselor") return refuse("forbidden");
        const now = ctx.deps.now();
        let cleared = 0;
        // The waiting index: a silent chat joined on a node that predates it is missed here
        // (during a rolling deploy), and ended by the sweep's silence deadline instead.
        for (const s of await ctx.store.waitingSessions()) {
          // Never spoke: no keep-alive since joining, although one was due (half an interval of slack).
          const silent =
            s.state === "waiting" &&
            s.transfer === null &&
            s.lastActivity <= s.queuedAt &&
            now - s.queuedAt >= WAITING_KEEPALIVE_MS * 1.5;
          if (!silent) continue;
          await endSession(ctx, s, { survivor: "expired", staff: null });
          cleared++;
        }
        ctx.log.info({ staff: shortId(me.id), cleared }, "silent queue entries cleared");
        reply({ ok: true, cleared });
      }),
  });

  socket.on("disconnect", () => {
    if (ctx.closing()) return;
    ctx
      .serial(async () => {
        if (!counted) return;
        const p = await ctx.store.disconnectStaff(me.id, ctx.deps.now());
        if (!p) return;
        if (p.connections === 0) {
          await announcePresence(ctx, me.id, false);
          await targetGone(ctx, me.id);
        }
        ctx.changed();
      })
      .catch(() => ctx.log.warn("staff disconnect handling failed"));
  });
}
