import { describe, expect, it } from "vitest";
import { clientAddress } from "../../../../server/relay/client-address.ts";

describe("client address for the per-address queue bound", () => {
  it("follows TRUST_PROXY as express's req.ip does", () => {
    const xff = "203.0.113.7, 10.0.0.2";
    expect(clientAddress("10.0.0.1", xff, false)).toBe("10.0.0.1");
    expect(clientAddress("10.0.0.1", xff, 0)).toBe("10.0.0.1");
    expect(clientAddress("10.0.0.1", xff, 1)).toBe("10.0.0.2");
    expect(clientAddress("10.0.0.1", xff, 2)).toBe("203.0.113.7");
    expect(clientAddress("10.0.0.1", xff, 9)).toBe("203.0.113.7");
    expect(clientAddress("10.0.0.1", xff, true)).toBe("203.0.113.7");
    expect(clientAddress("10.0.0.1", undefined, true)).toBe("10.0.0.1");
    expect(clientAddress("10.0.0.1", ["203.0.113.7", "10.0.0.2"], 2)).toBe("203.0.113.7");
  });
});
