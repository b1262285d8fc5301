import { describe, expect, it } from "vitest";
import { isRelayErrorCode, RELAY_ERROR_CODES } from "../../../../shared/protocol/index.ts";

describe("error codes", () => {
  it("recognises exactly the catalogued codes", () => {
    for (const code of RELAY_ERROR_CODES) expect(isRelayErrorCode(code)).toBe(true);
    for (const x of ["", "Bad-Request", "internal ", 3, null, {}]) expect(isRelayErrorCode(x)).toBe(false);
    expect(new Set(RELAY_ERROR_CODES).size).toBe(RELAY_ERROR_CODES.length);
  });
});
