import fc from "fast-check";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { PartnerIdSchema } from "../../../../shared/protocol/ids.ts";
import { DEFAULT_EXIT_URL, safeExitUrl } from "../../../../widget/control/exit-url.ts";
import { parseToFrame, parseToLoader } from "../../../../widget/control/messages.ts";
import { isPartnerId } from "../../../../widget/control/partner-id.ts";
import { createTripleShift } from "../../../../widget/control/triple-shift.ts";
import { contrastRatio, textColourFor } from "../../../../widget/loader/contrast.ts";

const shift = { key: "Shift", repeat: false };

describe("triple Shift", () => {
  it("fires on the third press within the window and then starts over", () => {
    const detect = createTripleShift(1500);
    expect([detect(shift, 0), detect(shift, 700), detect(shift, 1400)]).toEqual([false, false, true]);
    expect(detect(shift, 1500)).toBe(false);
  });

  it("does not fire when presses are spread out, interrupted by typing, or auto-repeated", () => {
    const slow = createTripleShift(1500);
    expect([slow(shift, 0), slow(shift, 1000), slow(shift, 2000)]).toEqual([false, false, false]);
    const typing = createTripleShift(1500);
    expect([
      typing(shift, 0),
      typing(shift, 10),
      typing({ key: "A", repeat: false }, 20),
      typing(shift, 30),
    ]).toEqual([false, false, false, false]);
    const held = createTripleShift(1500);
    expect([
      held(shift, 0),
      held({ key: "Shift", repeat: true }, 10),
      held({ key: "Shift", repeat: true }, 20),
    ]).toEqual([false, false, false]);
  });
});

describe("control messages", () => {
  it("accept exactly the documented shapes, rebuilt without extra fields", () => {
    expect(parseToFrame({ sahara: 1, type: "init", partner: "drf", language: "ur", extra: "x" })).toEqual({
      sahara: 1,
      type: "init",
      partner: "drf",
      language: "ur",
    });
    expect(parseToLoader({ sahara: 1, type: "close", drop: true })).toEqual({
      sahara: 1,
      type: "close",
      drop: true,
    });
    // Anything but `true` is a plain close: a running chat must never be dropped by mistake.
    expect(parseToLoader({ sahara: 1, type: "close", drop: 1 })).toEqual({ sahara: 1, type: "close" });
    expect(parseToLoader({ sahara: 1, type: "resize", size: "full" })).toEqual({
      sahara: 1,
      type: "resize",
      size: "full",
    });
    expect(parseToLoader({ sahara: 1, type: "ready", exitUrl: "https://x.example/" })).toEqual({
      sahara: 1,
      type: "ready",
      exitUrl: "https://x.example/",
    });
    // The unread signal carries nothing but its type; its answer only whether the panel shows.
    expect(parseToLoader({ sahara: 1, type: "unread", count: 3, text: "hi" })).toEqual({
      sahara: 1,
      type: "unread",
    });
    expect(parseToFrame({ sahara: 1, type: "shown", shown: true, extra: 1 })).toEqual({
      sahara: 1,
      type: "shown",
      shown: true,
    });
    expect(parseToFrame({ sahara: 1, type: "shown" })).toBeNull();
    expect(parseToFrame({ sahara: 1, type: "unread" })).toBeNull();
    expect(parseToLoader({ sahara: 1, type: "shown" })).toBeNull();
  });

  it("refuse other messages, wrong marks, bad fields and hostile objects without throwing", () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error("boom");
        },
      },
    );
    for (const data of [
      null,
      "init",
      [],
      hostile,
      { type: "init", partner: "drf" },
      { sahara: 2, type: "close" },
      { sahara: 1, type: "init", partner: "DRF" },
      { sahara: 1, type: "init", partner: "drf", language: "fr" },
      { sahara: 1, type: "text", body: "hello" },
    ]) {
      expect(parseToFrame(data)).toBeNull();
    }
    for (const data of [
      hostile,
      { sahara: 1, type: "resize", size: "huge" },
      { sahara: 1, type: "ready", exitUrl: 5 },
    ]) {
      expect(parseToLoader(data)).toBeNull();
    }
    // Never throws, whatever arrives.
    fc.assert(
      fc.property(fc.anything(), (data) => {
        parseToFrame(data);
        parseToLoader(data);
      }),
    );
  });

  it("checks partner ids exactly like the protocol schema", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[a-z0-9-]{0,70}$/)), (value) => {
        expect(isPartnerId(value)).toBe(v.safeParse(PartnerIdSchema, value).success);
      }),
    );
  });
});

describe("exit URL and accent contrast", () => {
  it("keeps only absolute http(s) exit URLs", () => {
    expect(safeExitUrl("https://weather.example/today")).toBe("https://weather.example/today");
    for (const bad of [
      "javascript:alert(1)",
      "data:text/html,x",
      "/relative",
      "",
      null,
      undefined,
      "vbscript:x",
    ]) {
      expect(safeExitUrl(bad)).toBeNull();
    }
    expect(safeExitUrl(DEFAULT_EXIT_URL)).toBe(DEFAULT_EXIT_URL);
  });

  it("chooses a launcher text colour with at least 4.5:1 contrast on any accent", () => {
    for (const accent of [
      "#5b2a86",
      "#ffcc00",
      "#00a651",
      "#1a5fb4",
      "#e01b24",
      "#777777",
      "#ffffff",
      "#000000",
    ]) {
      expect(contrastRatio(accent, textColourFor(accent))).toBeGreaterThanOrEqual(4.5);
    }
    // Every colour has one of black or white at 4.5:1 or better; sample the whole cube.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffff }), (n) => {
        const accent = `#${n.toString(16).padStart(6, "0")}`;
        expect(contrastRatio(accent, textColourFor(accent))).toBeGreaterThanOrEqual(4.5);
      }),
    );
  });
});
