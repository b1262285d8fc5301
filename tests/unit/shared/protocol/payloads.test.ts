import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodePayload,
  encodePayload,
  MAX_TEXT_CHARS,
  type Payload,
  PayloadSchema,
  parse,
} from "../../../../shared/protocol/index.ts";

const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/);
const payload: fc.Arbitrary<Payload> = fc.oneof(
  fc.record({
    type: fc.constant("text" as const),
    id,
    body: fc.string({ minLength: 1, maxLength: MAX_TEXT_CHARS }),
  }),
  fc.record({ type: fc.constant("typing" as const), active: fc.boolean() }),
  fc.record({ type: fc.constant("read" as const), upTo: fc.nat() }),
  fc.record({
    type: fc.constant("for-whom" as const),
    value: fc.constantFrom("self" as const, "someone-else" as const),
  }),
  fc.record({ type: fc.constant("nickname" as const), value: fc.string({ maxLength: 40 }) }),
  fc.constant({ type: "end" as const }),
  fc.record({ type: fc.constant("handover-note" as const), text: fc.string({ maxLength: 2000 }) }),
  fc.constant({ type: "visitor-left" as const }),
);

describe("payloads", () => {
  it("round-trip through encode and decode", () => {
    fc.assert(
      fc.property(payload, (p) => {
        expect(decodePayload(encodePayload(p))).toEqual({ ok: true, value: p });
      }),
      { numRuns: 300 },
    );
  });

  it("keep Urdu text intact", () => {
    const p: Payload = { type: "text", id: "m1", body: "مجھے مدد چاہیے" };
    expect(decodePayload(encodePayload(p))).toEqual({ ok: true, value: p });
  });

  it("reject oversized, unknown or malformed payloads without throwing", () => {
    const enc = new TextEncoder();
    for (const bad of [
      { type: "text", id: "m1", body: "x".repeat(MAX_TEXT_CHARS + 1) },
      { type: "text", id: "m 1", body: "hi" },
      { type: "text", id: "m1", body: "" },
      { type: "shout", body: "hi" },
      { type: "typing", active: "yes" },
      { type: "end", extra: 1 },
    ]) {
      expect(decodePayload(enc.encode(JSON.stringify(bad)))).toEqual({ ok: false, error: "bad-payload" });
    }
    expect(decodePayload(Uint8Array.of(0xff, 0xfe))).toEqual({ ok: false, error: "bad-payload" });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        const r = decodePayload(b);
        expect(r.ok === true || r.error === "bad-payload").toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.anything(), (x) => parse(PayloadSchema, x).ok === false || typeof x === "object"),
    );
  });
});
