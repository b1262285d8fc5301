import type { Socket } from "socket.io-client";
import { afterEach, beforeEach, expect } from "vitest";
import type { Assigned, Reply, StaffStatus, Transferring } from "../../shared/protocol/index.ts";
import type { StaffPrincipal } from "../../server/relay/deps.ts";
import { type Harness, type HarnessOptions, principal, startRelay } from "./relay-harness.ts";
import {
  connectStaff,
  type Joined,
  joinAsSurvivor,
  next,
  opaque,
  request,
  type StaffClient,
} from "./relay-clients.ts";

/**
 * A relay harness started before each test of the calling file and closed after it, with every
 * client the test tracked. The helpers speak the protocol the way the console and the frame do.
 */
export function relayFixture(options: HarnessOptions = { resumeGraceMs: 300 }) {
  let harness: Harness | undefined;
  const sockets: { close: () => void }[] = [];
  beforeEach(async () => {
    harness = await startRelay(options);
  });
  const closeTracked = () => {
    for (const s of sockets.splice(0)) s.close();
  };
  afterEach(async () => {
    closeTracked();
    await harness?.close();
    harness = undefined;
  });

  const fixture = {
    get h(): Harness {
      if (!harness) throw new Error("the relay harness runs only inside a test");
      return harness;
    },
    /** Closes every tracked client now (the test goes on to check what the relay kept). */
    closeTracked,
    /** Closed after the test. */
    track<T extends { close: () => void }>(s: T): T {
      sockets.push(s);
      return s;
    },
    /**
     * A staff member connected with `status` (away unless told) and a chat limit (2 unless told);
     * `more` sets the rest of the principal (role, display name).
     */
    async staff(
      id: string,
      limit = 2,
      status: "available" | "away" = "away",
      more: Partial<StaffPrincipal> = {},
    ): Promise<StaffClient> {
      const h = fixture.h;
      return fixture.track(
        await connectStaff(h.url, h.addStaff(principal(id, { chatLimit: limit, ...more })), status),
      );
    },
    /** A survivor queued through the relay (tracked). */
    async survivor(): Promise<Joined> {
      const s = await joinAsSurvivor(fixture.h.url);
      fixture.track(s.socket);
      return s;
    },
    /** A new survivor whose chat this staff member takes and accepts (epoch 0). */
    async chatFor(staff: StaffClient): Promise<Joined> {
      const s = await fixture.survivor();
      const taken = await request<Reply<{ assigned: Assigned }>>(staff as Socket, "take", {
        sessionId: s.queued.sessionId,
      });
      if (!taken.ok) throw new Error(taken.error);
      const accepted = await request(staff as Socket, "accept", {
        sessionId: s.queued.sessionId,
        epoch: 0,
        handshake: opaque(300),
      });
      if (!accepted.ok) throw new Error(accepted.error);
      return s;
    },
  };
  return fixture;
}

export const setStatus = (socket: StaffClient, value: StaffStatus) =>
  request(socket as Socket, "status", { status: value });

/** Call before the transfer: the survivor answers `transferring` with a fresh key, as the frame does. */
export function answerTransfer(s: Joined, epoch: number) {
  const t = next<Transferring>(s.socket, "transferring", 2000);
  return async () => {
    expect(await t).toEqual({ sessionId: s.queued.sessionId, epoch });
    return request(s.socket as Socket, "transfer-key", {
      sessionId: s.queued.sessionId,
      survivorKey: opaque(32),
    });
  };
}
