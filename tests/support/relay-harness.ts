import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import pino from "pino";
import { Server, type ServerOptions } from "socket.io";
import type { Join, StaffId } from "../../shared/protocol/index.ts";
import type { ServiceEvent } from "../../shared/stats/service-level.ts";
import {
  type RelayHandle,
  type RelayOptions,
  attachRelay,
  relayServerOptions,
} from "../../server/relay/index.ts";
import type { RelayDeps, StaffPrincipal } from "../../server/relay/deps.ts";
import { MemoryStore } from "../../server/state/memory-store.ts";
import type { RelayStore } from "../../server/state/store.ts";

export type RecordedPacket = Readonly<{ direction: "in" | "out"; data: Uint8Array | string }>;

export type Harness<S extends RelayStore = MemoryStore> = Readonly<{
  url: string;
  port: number;
  io: Server;
  relay: RelayHandle;
  store: S;
  /** Every engine.io packet the server received or sent, raw (msgpack bytes or text). */
  packets: RecordedPacket[];
  /** Every log line the relay wrote. */
  logs: string[];
  /** Every service event the relay counted, in order. */
  serviceEvents: ServiceEvent[];
  /** Staff the fake authenticator knows, by cookie value. */
  addStaff: (principal: StaffPrincipal) => string;
  /** Make `staffRefusal` answer `revoked` for this id (disabled or revoked). */
  deactivate: (id: StaffId) => void;
  /** Make `staffRefusal` answer `not-certified` for this id (its certificate expired). */
  expire: (id: StaffId) => void;
  close: () => Promise<void>;
}>;

/**
 * `queueDifficulty: true` leaves proof-of-work difficulty to the admission policy (otherwise fixed
 * at 4 bits for speed). `now` replaces the clock (the sweep still ticks on real timers).
 * `isOpen` answers opening hours (default: `open`, default true). Every client of a harness is
 * 127.0.0.1, so the per-address queue bound is off (1000) unless `maxWaitingPerClient` is given.
 * `store` shares another harness's store: a second relay node on the same state (start it with
 * `handOver`, so that shutting it down leaves the state to the first); any store (a Redis store,
 * or one a test wraps) plugs in the same way. `secret` is random unless given: nodes that must
 * key one client address alike (its queue places) share it.
 */
export type HarnessOptions<S extends RelayStore = MemoryStore> = Omit<RelayOptions, "store"> &
  Readonly<{
    store?: S;
    partner?: string;
    open?: boolean;
    queueDifficulty?: boolean;
    now?: () => number;
    isOpen?: () => boolean;
    trustProxy?: boolean | number;
    secret?: Uint8Array;
    /** socket.io's adapter (the Redis streams adapter links nodes as in production); in-memory by default. */
    adapter?: ServerOptions["adapter"];
  }>;

export function principal(id: string, overrides: Partial<StaffPrincipal> = {}): StaffPrincipal {
  return {
    id: id as StaffId,
    displayName: `Counselor ${id}`,
    role: "counselor",
    chatLimit: 2,
    languages: ["en", "ur"],
    certified: true,
    ...overrides,
  };
}

/**
 * A real http server + socket.io + attachRelay with fake deps on 127.0.0.1:0. Records raw
 * packets at the engine level (below socket.io, so nothing the relay handles escapes it) and
 * every log line.
 */
export async function startRelay<S extends RelayStore = MemoryStore>(
  options: HarnessOptions<S> = {},
): Promise<Harness<S>> {
  const logs: string[] = [];
  const packets: RecordedPacket[] = [];
  const serviceEvents: ServiceEvent[] = [];
  const logger = pino(
    { level: "debug" },
    new Writable({
      write(chunk, _enc, done) {
        logs.push(String(chunk));
        done();
      },
    }),
  );
  const cookies = new Map<string, StaffPrincipal>();
  const inactive = new Set<string>();
  const expired = new Set<string>();
  const partner = options.partner ?? "demo";
  const deps: RelayDeps = {
    logger,
    now: options.now ?? (() => Date.now()),
    authenticateStaff: async (cookie) => {
      const value = /(?:^|;\s*)sid=([^;]+)/.exec(cookie ?? "")?.[1];
      const principal = value ? cookies.get(value) : undefined;
      return principal ? { principal, loginId: value ?? "" } : null;
    },
    staffRefusal: async (id) => (inactive.has(id) ? "revoked" : expired.has(id) ? "not-certified" : null),
    isOpen: async () => options.isOpen?.() ?? options.open ?? true,
    partnerExists: async (p) => p === partner,
    serviceStats: (event) => serviceEvents.push(event),
    languages: ["en", "ur"],
    secret: options.secret ?? new Uint8Array(randomBytes(32)),
    ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}),
  };
  const store = options.store ?? (new MemoryStore(deps.now) as RelayStore as S);
  const http = createServer();
  const io = new Server(http, {
    ...relayServerOptions,
    ...(options.adapter ? { adapter: options.adapter } : {}),
  });
  io.engine.on("connection", (raw: { on: (e: string, l: (p: { data?: unknown }) => void) => void }) => {
    raw.on("packet", (p) => record(packets, "in", p.data));
    raw.on("packetCreate", (p) => record(packets, "out", p.data));
  });
  const {
    partner: _p,
    open: _o,
    queueDifficulty,
    now: _n,
    isOpen: _i,
    trustProxy: _t,
    store: _s,
    secret: _k,
    adapter: _a,
    ...relayOptions
  } = options;
  const relay = attachRelay(io, deps, {
    ...(queueDifficulty ? {} : { powDifficulty: 4 }),
    maxWaitingPerClient: 1000,
    ...relayOptions,
    store,
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const port = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    io,
    relay,
    store,
    packets,
    logs,
    serviceEvents,
    addStaff: (p) => {
      const cookie = randomBytes(12).toString("hex");
      cookies.set(cookie, p);
      return `sid=${cookie}`;
    },
    deactivate: (id) => inactive.add(id),
    expire: (id) => expired.add(id),
    close: async () => {
      await relay.shutdown();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      http.closeAllConnections();
    },
  };
}

function record(into: RecordedPacket[], direction: "in" | "out", data: unknown): void {
  if (typeof data === "string") into.push({ direction, data });
  else if (data instanceof Uint8Array) into.push({ direction, data: new Uint8Array(data) });
  else if (data instanceof ArrayBuffer) into.push({ direction, data: new Uint8Array(data.slice(0)) });
}

/** A join payload with placeholders the client helper fills (pow) — language/partner overridable. */
export function joinFields(overrides: Partial<Pick<Join, "language" | "partner">> = {}) {
  return { language: "en", partner: "demo", ...overrides } as Pick<Join, "language" | "partner">;
}
