import {
  MAX_SIDE_TEXT_CHARS,
  type SessionId,
  type SideEndReason,
  type SideId,
  type SideRequest,
} from "../../../shared/protocol/index.ts";
import type { CryptoClient } from "../crypto/crypto-client.ts";
import type { ChatsAction, ChatsState } from "../state/chats.ts";
import type { ErrorCode } from "../state/errors.ts";
import { type SideAction, type SideState, sideForChat } from "../state/side-conversations.ts";
import type { Store } from "../state/store.ts";
import type { SideTransport } from "./side-socket.ts";

/**
 * Glue for "Ask a supervisor": relay side-events into worker calls and store actions, console
 * actions into sealed side messages. Nothing of the survivor chat is ever read here: the only
 * text sealed is what the staff member typed (or pasted) into the side box.
 */
export type SideControllerDeps = Readonly<{
  transport: SideTransport;
  crypto: CryptoClient;
  side: Store<SideState, SideAction>;
  chats: Store<ChatsState, ChatsAction>;
  now: () => number;
  randomId: () => string;
}>;

export type SideResult = { readonly ok: true } | { readonly ok: false; readonly error: ErrorCode };

export type SideController = ReturnType<typeof createSideController>;

export function createSideController(deps: SideControllerDeps) {
  const { transport, crypto, side } = deps;
  const find = (id: SideId) =>
    side.getState().conversations.find((c) => c.requestId === id && c.phase !== "ended");

  const close = async (requestId: SideId, reason: SideEndReason) => {
    await crypto.call({ type: "side-wipe", requestId });
    side.dispatch({ type: "ended", requestId, reason });
  };

  transport.on("side-requests", (r) =>
    side.dispatch({ type: "requests", requests: r.requests, at: deps.now() }),
  );

  transport.on("side-opened", async ({ requestId, hello }) => {
    const c = find(requestId);
    if (c?.role !== "asker" || c.phase !== "asking") return;
    side.dispatch({ type: "connecting", requestId });
    const answered = await crypto.call({ type: "side-answer", requestId, offer: hello });
    if (!answered.ok) {
      // Not a certified supervisor of this helpline: refuse, and say so.
      side.dispatch({ type: "failed", requestId, error: "crypto-failed" });
      await transport.end(requestId);
      await close(requestId, "ended");
      return;
    }
    const reply = await transport.join(requestId, answered.value.answer);
    if (!reply.ok) return close(requestId, "ended");
    side.dispatch({ type: "opened", requestId, peerName: answered.value.peerName });
  });

  transport.on("side-joined", async ({ requestId, hello }) => {
    const c = find(requestId);
    if (c?.role !== "helper" || !c.counselor) return;
    const done = await crypto.call({
      type: "side-complete",
      requestId,
      answer: hello,
      counselor: c.counselor,
    });
    if (!done.ok) {
      side.dispatch({ type: "failed", requestId, error: "crypto-failed" });
      await transport.end(requestId);
      await close(requestId, "ended");
      return;
    }
    side.dispatch({ type: "opened", requestId, peerName: done.value.peerName });
  });

  transport.on("side-message", async ({ requestId, seq, ciphertext }) => {
    if (find(requestId)?.phase !== "open") return;
    const opened = await crypto.call({ type: "side-open", requestId, seq, ciphertext });
    // A forged or replayed message is dropped: the relay may drop, never write.
    if (!opened.ok) return;
    side.dispatch({
      type: "line",
      requestId,
      line: { id: deps.randomId(), from: "peer", body: opened.value.text, at: deps.now() },
    });
  });

  transport.on("side-ended", async ({ requestId, reason }) => {
    if (find(requestId)) await close(requestId, reason);
  });

  // The chat a request is about ended, was handed on or failed: its side conversation goes too.
  deps.chats.subscribe(() => {
    const live = new Set(
      deps.chats
        .getState()
        .chats.filter((c) => c.phase === "active" || c.phase === "connecting")
        .map((c) => c.sessionId as string),
    );
    for (const c of side.getState().conversations) {
      if (c.role === "asker" && c.phase !== "ended" && c.sessionId && !live.has(c.sessionId)) {
        void transport.end(c.requestId);
        void close(c.requestId, "chat-ended");
      }
    }
  });

  return {
    /**
     * Another console page took the desk: the relay ended these conversations ("gone"), and
     * told the page that holds the desk now, not this one. Each is wiped here too.
     */
    endAll: async () => {
      side.dispatch({ type: "requests", requests: [], at: deps.now() });
      for (const c of side.getState().conversations)
        if (c.phase !== "ended") await close(c.requestId, "gone");
    },
    /** Counselor: ask on-duty supervisors about this chat (once per chat). */
    ask: async (sessionId: SessionId): Promise<SideResult> => {
      if (sideForChat(side.getState(), sessionId)) return { ok: false, error: "bad-state" };
      const reply = await transport.ask(sessionId);
      if (!reply.ok) return reply;
      side.dispatch({ type: "asked", requestId: reply.requestId, sessionId });
      return { ok: true };
    },
    /** Supervisor: open a request with a fresh signed offer. */
    accept: async (request: SideRequest): Promise<SideResult> => {
      const offer = await crypto.call({ type: "side-offer", requestId: request.requestId });
      if (!offer.ok)
        return { ok: false, error: offer.error === "not-certified" ? "not-certified" : "crypto-failed" };
      side.dispatch({
        type: "offering",
        requestId: request.requestId,
        counselor: request.counselor,
        counselorName: request.counselorName,
      });
      const reply = await transport.open(request.requestId, offer.value.hello);
      if (!reply.ok) {
        side.dispatch({ type: "dismiss", requestId: request.requestId });
        await crypto.call({ type: "side-wipe", requestId: request.requestId });
        return reply;
      }
      return { ok: true };
    },
    send: async (requestId: SideId, text: string): Promise<SideResult> => {
      const body = text.trim();
      if (body === "" || find(requestId)?.phase !== "open") return { ok: false, error: "bad-state" };
      if (body.length > MAX_SIDE_TEXT_CHARS) return { ok: false, error: "frame-too-large" };
      const sealed = await crypto.call({ type: "side-seal", requestId, text: body });
      if (!sealed.ok)
        return { ok: false, error: sealed.error === "too-large" ? "frame-too-large" : "crypto-failed" };
      const reply = await transport.send(requestId, sealed.value.seq, sealed.value.ciphertext);
      if (!reply.ok) return reply;
      side.dispatch({
        type: "line",
        requestId,
        line: { id: deps.randomId(), from: "me", body, at: deps.now() },
      });
      return { ok: true };
    },
    /** Cancel a request or end a conversation (either side). */
    end: async (requestId: SideId): Promise<void> => {
      const c = find(requestId);
      if (!c) return;
      await transport.end(requestId);
      await close(requestId, c.phase === "asking" ? "cancelled" : "ended");
    },
    dismiss: (requestId: SideId) => side.dispatch({ type: "dismiss", requestId }),
  };
}
