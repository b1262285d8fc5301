import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pad, unpad } from "../../shared/crypto/padding.ts";
import { PADDING_BUCKETS } from "../../shared/protocol/limits.ts";

describe("padding (property)", () => {
  it("unpad(pad(x)) = x, and padded lengths are only the buckets", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4094 }), (payload) => {
        const padded = pad(payload);
        if (!padded.ok) return false;
        expect(PADDING_BUCKETS).toContain(padded.value.length);
        // The smallest bucket that fits: the length leaks nothing finer than the bucket.
        expect(PADDING_BUCKETS.find((b) => b >= payload.length + 2)).toBe(padded.value.length);
        expect(unpad(padded.value)).toEqual({ ok: true, value: payload });
        return true;
      }),
      { numRuns: 150 },
    );
  });

  it("refuses payloads larger than the largest bucket allows", () => {
    fc.assert(
      fc.property(fc.integer({ min: 4095, max: 70_000 }), (n) => {
        expect(pad(new Uint8Array(n))).toEqual({ ok: false, error: "too-large" });
      }),
      { numRuns: 30 },
    );
  });

  it("unpad never throws and accepts only canonical padding", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4200 }), (bytes) => {
        const result = unpad(bytes);
        if (result.ok) {
          const again = pad(result.value);
          expect(again.ok && again.value).toEqual(bytes);
        } else {
          expect(result.error).toBe("bad-padding");
        }
      }),
      { numRuns: 200 },
    );
  });

  it("a non-zero byte in the padding is refused", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (payload, at, value) => {
          const padded = pad(payload);
          if (!padded.ok) return;
          const index = 2 + payload.length + (at % (padded.value.length - 2 - payload.length));
          const bad = padded.value.slice();
          bad[index] = value;
          expect(unpad(bad)).toEqual({ ok: false, error: "bad-padding" });
        },
      ),
      { numRuns: 150 },
    );
  });
});
