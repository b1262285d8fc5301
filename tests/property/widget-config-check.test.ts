import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WidgetConfigSchema } from "../../shared/protocol/http/widget-config.ts";
import { parse } from "../../shared/protocol/parse.ts";
import { checkWidgetConfig } from "../../widget/frame/adapters/widget-config-check.ts";

/**
 * The frame's entry checks its configuration by hand (no valibot before the start screen);
 * it must answer exactly as `WidgetConfigSchema`: the same value, or null for the same inputs.
 */
const viaSchema = (value: unknown) => {
  const parsed = parse(WidgetConfigSchema, value);
  return parsed.ok ? parsed.value : null;
};

/** Mostly valid, sometimes one of the odd values or any JSON at all. */
const some = <T>(valid: fc.Arbitrary<T>, ...odd: unknown[]) =>
  fc.oneof(
    { weight: 100, arbitrary: valid as fc.Arbitrary<unknown> },
    { weight: 1, arbitrary: fc.constantFrom(...odd) },
    { weight: 1, arbitrary: fc.jsonValue() },
  );

const language = some(fc.constantFrom("en", "ur"), "fr", "EN", "", null, 1);
const clock = fc.oneof(
  { weight: 100, arbitrary: fc.constantFrom("00:00", "09:30", "17:00", "23:59", "24:00") },
  { weight: 1, arbitrary: fc.constantFrom("24:01", "9:00", "25:00", "12:60", " 09:00", "09:00\n") },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);
// Open before close mostly; now and then the other way round or equal.
const ordered = fc.tuple(clock, clock, fc.nat(20)).map(([a, b, flip]) => {
  if (flip === 0) return { open: a, close: b };
  if (a === b) return { open: "09:00", close: "17:00" };
  return a < b ? { open: a, close: b } : { open: b, close: a };
});
const range = some(ordered, { open: "09:00" }, { open: "09:00", close: "17:00", x: 1 }, []);
const dayHours = some(
  fc.oneof(
    { weight: 10, arbitrary: fc.array(range, { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.array(range, { minLength: 8, maxLength: 9 }) },
  ),
  {},
  "09:00",
);
const week = some(fc.array(dayHours, { minLength: 7, maxLength: 8 }), [], [[], [], [], [], [], []]);
const text = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom(" x ", "\t\n", "a".repeat(200), ` ${"a".repeat(200)} `, "a".repeat(201)),
);
const date = some(
  fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom("2026-12-25", "2026-02-30", "1999-01-31") },
    {
      weight: 1,
      arbitrary: fc.constantFrom("2026-13-01", "2026-00-10", "26-12-25", "2026-1-5", "2026-12-32"),
    },
  ),
  "",
  20261225,
);
const holiday = some(
  fc.record({ date, label: some(text, null, 3) }),
  { date: "2026-12-25" },
  { date: "2026-12-25", label: "x", y: 2 },
);
const url = some(
  fc.constantFrom("https://example.org/weather", "http://a.b", `https://a.b/${"x".repeat(480)}`),
  "https://a.b/x y",
  'https://a.b/"',
  "ftp://a.b",
  "javascript:alert(1)",
  "https://",
  `https://a.b/${"x".repeat(500)}`,
  "",
  null,
);
const zone = some(
  fc.constantFrom("Asia/Karachi", "UTC", "Etc/GMT+5", "a".repeat(64)),
  "a".repeat(65),
  "Asia Karachi",
  "",
  null,
);
const timestamp = some(
  fc.oneof(fc.constant(null), fc.integer({ min: -5, max: 2 ** 40 })),
  1.5,
  -0,
  "1",
  Number.MAX_SAFE_INTEGER + 2,
);
const resource = some(
  fc.record({
    name: some(fc.string({ maxLength: 5 }), null),
    contact: some(fc.string({ maxLength: 5 }), 3),
    language,
  }),
  { name: "a", contact: "b" },
);
const config = fc.record({
  open: some(fc.boolean(), "true", 0, null),
  languages: some(fc.array(language, { maxLength: 3 }), "en", null),
  defaultLanguage: language,
  exitUrl: url,
  timeZone: zone,
  hours: week,
  holidays: some(fc.array(holiday, { maxLength: 3 }), null),
  nextOpening: timestamp,
  resources: some(fc.array(resource, { maxLength: 3 }), {}),
});
// A key taken away or one added.
const mutated = fc.tuple(config, fc.nat(9), fc.boolean()).map(([value, at, add]) => {
  const copy: Record<string, unknown> = { ...value };
  const key = Object.keys(copy)[at];
  if (add) copy.extra = true;
  else if (key) delete copy[key];
  return copy;
});

describe("the frame's hand-written configuration check (property)", () => {
  it("accepts and returns exactly what WidgetConfigSchema does", () => {
    let accepted = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.oneof({ weight: 4, arbitrary: config }, mutated, fc.jsonValue()), (value) => {
        const expected = viaSchema(value);
        runs++;
        if (expected !== null) accepted++;
        expect(checkWidgetConfig(value)).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
    // Both sides are reached: a good share of the inputs are valid configurations.
    expect(accepted).toBeGreaterThan(runs / 20);
  });

  const valid = {
    open: true,
    languages: ["en", "ur"],
    defaultLanguage: "ur",
    exitUrl: "https://example.org/weather",
    timeZone: "Asia/Karachi",
    hours: [[], [{ open: "09:00", close: "17:00" }], [], [], [], [], [{ open: "00:00", close: "24:00" }], []],
    holidays: [{ date: "2026-12-25", label: "  Christmas  " }],
    nextOpening: null,
    resources: [{ name: "Legal aid", contact: "+92 51 111", language: "ur" }],
  };

  it("trims holiday labels and drops an eighth day, as the schema does", () => {
    const checked = checkWidgetConfig(valid);
    expect(checked).toEqual(viaSchema(valid));
    expect(checked?.holidays[0]?.label).toBe("Christmas");
    expect(checked?.hours).toHaveLength(7);
  });

  it("agrees at every field's edges", () => {
    const day = (ranges: unknown) => [ranges, [], [], [], [], [], []];
    const edges: Record<string, unknown[]> = {
      open: [false, "true", 1, null],
      languages: [[], ["en"], ["fr"], "en", [null]],
      defaultLanguage: ["en", "fr", ""],
      exitUrl: [
        `https://a.b/${"x".repeat(488)}`,
        `https://a.b/${"x".repeat(489)}`,
        "https://",
        "https://a.b/x y",
        "ftp://a.b",
        "HTTPS://A.B",
      ],
      timeZone: ["a".repeat(64), "a".repeat(65), "", "Etc/GMT+5", "Asia Karachi"],
      hours: [
        day([{ open: "09:00", close: "09:00" }]),
        day([{ open: "17:00", close: "09:00" }]),
        day(Array.from({ length: 8 }, () => ({ open: "09:00", close: "10:00" }))),
        day(Array.from({ length: 9 }, () => ({ open: "09:00", close: "10:00" }))),
        day([{ open: "9:00", close: "10:00" }]),
        day([{ open: "23:59", close: "24:00" }]),
        day([{ open: "24:00", close: "24:01" }]),
        [[], [], [], [], [], []],
      ],
      holidays: [
        [{ date: "2026-02-30", label: "" }],
        [{ date: "2026-12-25", label: ` ${"a".repeat(200)} ` }],
        [{ date: "2026-12-25", label: "a".repeat(201) }],
        [{ date: "2026-13-01", label: "x" }],
        [{ date: "2026-12-25" }],
      ],
      nextOpening: [0, -1, 1.5, 2 ** 53, "1"],
      resources: [
        [{ name: "", contact: "", language: "en" }],
        [{ name: "a", contact: "b", language: "fr" }],
        [{}],
      ],
    };
    for (const [key, values] of Object.entries(edges))
      for (const value of values) {
        const input = { ...valid, [key]: value };
        expect(checkWidgetConfig(input), `${key} = ${JSON.stringify(value)}`).toEqual(viaSchema(input));
      }
  });
});
