import type { Socket } from "socket.io-client";
import { describe, expect, it } from "vitest";
import type { RelayStore } from "../../server/state/store.ts";
import { joinAsSurvivor, request } from "../support/relay-clients.ts";
import { startRelay } from "../support/relay-harness.ts";
import { needService } from "../support/services.ts";
import { sharedStoreFixture } from "../support/shared-store.ts";

const redisRuns = await needService("redis");
const GRACE_MS = 300;

/**
 * A node stopping with a shared store (`handOver`) closes its clients' transports and leaves their
 * chats to the other nodes, which measure the survivor's resume grace from the record. A
 * transport that cannot close at once must not leave the record saying the survivor is still
 * connected, to a socket on a node that is gone.
 */
describe.each(["memory", "redis"] as const)("relay: a node handing over (%s store)", (kind) => {
  const { harnesses, sockets, store: sharedStore } = sharedStoreFixture(kind);

  async function twoNodes() {
    const store = await sharedStore();
    const a = await startRelay<RelayStore>({ store, resumeGraceMs: GRACE_MS, handOver: true });
    const b = await startRelay<RelayStore>({ store, resumeGraceMs: GRACE_MS, handOver: true });
    harnesses.push(b, a);
    return { store, a, b };
  }

  it.runIf(kind === "memory" || redisRuns)(
    "records a survivor as gone when the node hands over, though its long-polling transport cannot close yet; the other node ends the chat after the grace",
    async () => {
      const { store, a } = await twoNodes();
      const s = await joinAsSurvivor(a.url, {}, ["polling"]);
      sockets.push(s.socket);
      const sessionId = s.queued.sessionId;
      // The client stops polling once the open request is answered (by a position push or the
      // keep-alive's reply, sent first: a pausing transport drops what is sent after). With no
      // request to carry the close packet, engine.io waits up to 30 s before it closes the
      // transport, so the socket's disconnect comes after the node stopped.
      const transport = s.socket.io.engine.transport as unknown as { pause: (done: () => void) => void };
      request(s.socket as Socket, "waiting", { sessionId }).catch(() => {});
      await new Promise<void>((resolve) => transport.pause(resolve));
      const before = Date.now();
      await a.relay.shutdown();
      const record = await store.getSession(sessionId as never);
      expect(record?.survivorSocket).toBeNull();
      expect(record?.survivorDisconnectedAt).toBeGreaterThanOrEqual(before);
      // Node B's sweep measures the grace from that moment and ends the chat.
      await expect.poll(() => store.getSession(sessionId as never), { timeout: 3000 }).toBeNull();
    },
  );
});
