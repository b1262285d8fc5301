import { describe, expect, it } from "vitest";
import { relayServerOptions } from "../../../../server/relay/server-options.ts";
import {
  MAX_FRAME_BYTES,
  MAX_HANDOVER_BYTES,
  RELAY_PARSER,
  RELAY_PATH,
  STAFF_CLIENT_OPTIONS,
  SURVIVOR_CLIENT_OPTIONS,
} from "../../../../shared/protocol/index.ts";

describe("relay transport options", () => {
  it("client and server agree on path, parser and transports", () => {
    expect(SURVIVOR_CLIENT_OPTIONS.path).toBe(RELAY_PATH);
    expect(relayServerOptions.path).toBe(RELAY_PATH);
    expect(RELAY_PARSER).toBe("socket.io-msgpack-parser");
    expect(SURVIVOR_CLIENT_OPTIONS.transports).toEqual(["websocket", "polling"]);
    expect(STAFF_CLIENT_OPTIONS.transports).toEqual(["websocket"]);
    expect(SURVIVOR_CLIENT_OPTIONS.withCredentials).toBe(false);
    for (const t of [...SURVIVOR_CLIENT_OPTIONS.transports, ...STAFF_CLIENT_OPTIONS.transports]) {
      expect(relayServerOptions.transports).toContain(t);
    }
  });

  it("turns off compression and caps a packet just above the largest legitimate message", () => {
    expect(relayServerOptions.perMessageDeflate).toBe(false);
    expect(relayServerOptions.httpCompression).toBe(false);
    expect(relayServerOptions.maxHttpBufferSize).toBeGreaterThan(MAX_FRAME_BYTES);
    // The largest legitimate message is a staff handover carrying the conversation so far.
    expect(relayServerOptions.maxHttpBufferSize).toBeGreaterThan(MAX_HANDOVER_BYTES);
    expect(relayServerOptions.maxHttpBufferSize).toBeLessThan(MAX_HANDOVER_BYTES + MAX_FRAME_BYTES + 4096);
  });
});
