import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Assigned,
  type Reply,
  STAFF_NAMESPACE,
  SURVIVOR_NAMESPACE,
  type StaffEnded,
} from "../../shared/protocol/index.ts";
import { RESERVED_EVENTS } from "../../server/relay/relay-parser.ts";
import { collect, connectStaff, joinAsSurvivor, next, opaque, request } from "../support/relay-clients.ts";
import { type Harness, principal, startRelay } from "../support/relay-harness.ts";
import { encodePacket, rawNamespace, sleep } from "../support/raw-relay.ts";

/**
 * Class: an incoming event named like one of socket.io's own (finding: a survivor that sent
 * `disconnect` ended its own chat while staying connected; a staff socket could do the same).
 * socket.io-client refuses to emit these names, so the packets are written by hand.
 */
const NAMES = [...RESERVED_EVENTS];

type Engine = { write: (data: Buffer) => void };
const forge = (socket: Socket, nsp: string, name: string, ...args: unknown[]) =>
  (socket.io.engine as unknown as Engine).write(encodePacket({ type: 2, nsp, data: [name, ...args] }));

let h: Harness;
beforeAll(async () => {
  h = await startRelay();
});
afterAll(async () => {
  await h.close();
});

describe("reserved event names from a client", () => {
  it("never reach a handler: a survivor's forged `disconnect` cannot end its chat", async () => {
    for (const name of NAMES) {
      const staff = (await connectStaff(h.url, h.addStaff(principal(`s-${name}`)), "away")) as Socket;
      const ended = collect<StaffEnded>(staff, "ended");
      const s = await joinAsSurvivor(h.url);
      const id = s.queued.sessionId;
      const taken = await request<Reply<{ assigned: Assigned }>>(staff, "take", { sessionId: id });
      expect(taken.ok).toBe(true);
      await request(staff, "accept", { sessionId: id, epoch: 0, handshake: opaque(64) });

      const closed = next(s.socket as Socket, "disconnect", 2000);
      forge(s.socket as Socket, SURVIVOR_NAMESPACE, name, "client namespace disconnect");
      // The packet is refused as malformed: the relay closes that connection.
      await closed;
      await sleep(50);
      // ...as a dropped network, never as leaving: the session waits for a resume.
      expect(ended, name).toEqual([]);
      const record = await h.store.getSession(id);
      expect(record?.state, name).toBe("active");
      staff.close();
    }
  });

  it("never reach a handler: a staff socket's forged `disconnect` is refused on /staff", async () => {
    for (const name of NAMES) {
      const id = `st-${name}`;
      const staff = (await connectStaff(h.url, h.addStaff(principal(id)), "available")) as Socket;
      expect((await h.store.getStaff(id as never))?.connections).toBe(1);
      const closed = next(staff, "disconnect", 2000);
      forge(staff, STAFF_NAMESPACE, name, "client namespace disconnect");
      await closed;
      await sleep(50);
      // One real disconnect counted once: the forged one did not run the handler first.
      expect((await h.store.getStaff(id as never))?.connections, name).toBe(0);
    }
  });

  it("cover every name the installed socket.io reserves (its server-side list, read from its files)", () => {
    // Not exported by the package: read from the file next to its entry point, so an upgrade
    // that reserves a new name fails here instead of letting it reach the handlers.
    const require = createRequire(import.meta.url);
    const types = require(join(dirname(require.resolve("socket.io")), "socket-types.js")) as {
      RESERVED_EVENTS: ReadonlySet<string>;
    };
    expect(types.RESERVED_EVENTS.size).toBeGreaterThan(0);
    for (const name of types.RESERVED_EVENTS) expect(RESERVED_EVENTS.has(name), name).toBe(true);
  });

  it("are refused on a raw socket before any namespace handler, on both namespaces", async () => {
    for (const nsp of [SURVIVOR_NAMESPACE, STAFF_NAMESPACE]) {
      for (const name of NAMES) {
        const raw = await rawNamespace(h.port, nsp);
        raw.send(encodePacket({ type: 2, nsp, data: [name] }));
        await Promise.race([raw.closed, sleep(2000)]);
        expect(raw.isOpen(), `${nsp} ${name}`).toBe(false);
      }
    }
  });
});
