import { describe, expect, it } from "vitest";
import * as v from "valibot";
import {
  type Canned,
  HoursSchema,
  PartnerCreateSchema,
  type Referral,
  WrapupRequestSchema,
} from "../../../../shared/protocol/http/index.ts";
import type { PartnerId, SessionId } from "../../../../shared/protocol/index.ts";
import {
  insertText,
  referralText,
  searchCanned,
  searchReferrals,
} from "../../../../console/src/state/canned-search.ts";
import type { Chat } from "../../../../console/src/state/chats.ts";
import { embedSnippet, parseOrigins } from "../../../../console/src/state/embed-snippet.ts";
import { fieldErrors } from "../../../../console/src/state/form-errors.ts";
import {
  addHoliday,
  addRange,
  copyToAllDays,
  dayErrors,
  removeHoliday,
  scheduleValid,
  setRange,
} from "../../../../console/src/state/hours-form.ts";
import {
  durationBucket,
  newWrapUp,
  wrapUpReducer,
  wrapUpRequest,
} from "../../../../console/src/state/wrap-up.ts";

const chat = {
  sessionId: "AAAAAAAAAAAAAAAAAAAAAA" as SessionId,
  partner: "drf" as PartnerId,
  language: "ur",
  assignedAt: 0,
  forWhom: "self",
} as unknown as Chat;

describe("wrap-up form", () => {
  it("buckets the duration and preselects 'the person themselves' when they said so", () => {
    expect(durationBucket(9 * 60_000)).toBe("<10m");
    expect(durationBucket(45 * 60_000)).toBe("30-60m");
    expect(durationBucket(2 * 3_600_000)).toBe(">60m");
    expect(newWrapUp(chat, 12 * 60_000)).toMatchObject({
      callerType: "self",
      duration: "10-30m",
      partner: "drf",
      language: "ur",
    });
    expect(newWrapUp({ ...chat, forWhom: "someone-else" }, 0).callerType).toBeNull();
  });

  it("requires platform, type and caller, then builds a body the server's schema accepts", () => {
    let form = newWrapUp({ ...chat, forWhom: null }, 5 * 60_000);
    expect(wrapUpRequest(form)).toEqual({
      ok: false,
      missing: ["platform", "harassmentTypes", "callerType"],
    });
    form = wrapUpReducer(form, { type: "platform", value: "whatsapp" });
    form = wrapUpReducer(form, { type: "toggle-harassment", value: "blackmail" });
    form = wrapUpReducer(form, { type: "toggle-harassment", value: "non-consensual-images" });
    form = wrapUpReducer(form, { type: "toggle-outcome", value: "platform-report" });
    form = wrapUpReducer(form, { type: "toggle-outcome", value: "advice" });
    form = wrapUpReducer(form, { type: "follow-up", value: true });
    form = wrapUpReducer(form, { type: "caller", value: "family" });
    form = wrapUpReducer(form, { type: "toggle-referral", value: "law-enforcement" });
    form = wrapUpReducer(form, { type: "toggle-referral", value: "legal-aid" });
    form = wrapUpReducer(form, { type: "toggle-referral", value: "legal-aid" });
    form = wrapUpReducer(form, { type: "region", value: "sindh" });
    form = wrapUpReducer(form, { type: "difficult", value: true });
    const result = wrapUpRequest(form);
    if (!result.ok) throw new Error("form should be complete");
    expect(result.request).toEqual({
      partner: "drf",
      language: "ur",
      platform: "whatsapp",
      harassmentTypes: ["blackmail", "non-consensual-images"],
      callerType: "family",
      region: "sindh",
      gender: null,
      referrals: ["law-enforcement"],
      outcomes: ["platform-report", "advice"],
      followUp: true,
      difficult: true,
      duration: "<10m",
    });
    // With the token the relay gives when the chat ends, it is a body the server accepts.
    expect(v.safeParse(WrapupRequestSchema, { ...result.request, token: "W".repeat(43) }).success).toBe(true);
    expect(v.safeParse(WrapupRequestSchema, result.request).success).toBe(false);
    // Statistics only: no session id, no free text.
    expect(JSON.stringify(result.request)).not.toContain(chat.sessionId);
  });
});

describe("canned responses and referrals", () => {
  const canned: Canned[] = [
    {
      id: "1",
      language: "en",
      title: "Greeting",
      body: "Hello, you are safe to talk here.",
      tags: ["start"],
    },
    { id: "2", language: "ur", title: "سلام", body: "السلام علیکم، آپ یہاں محفوظ ہیں۔", tags: ["start"] },
    {
      id: "3",
      language: "en",
      title: "Evidence",
      body: "Please keep screenshots of the messages.",
      tags: ["fia"],
    },
  ];
  it("searches title, body and tags, the chat's language first", () => {
    expect(searchCanned(canned, "ur", "start").map((c) => c.id)).toEqual(["2", "1"]);
    expect(searchCanned(canned, "en", "SCREENSHOTS").map((c) => c.id)).toEqual(["3"]);
    expect(searchCanned(canned, "en", "fia").map((c) => c.id)).toEqual(["3"]);
    expect(searchCanned(canned, "en", "").length).toBe(3);
  });
  it("inserts at the caret and formats a referral", () => {
    expect(insertText("Hello", 5, "there")).toEqual({ value: "Hello\n\nthere", caret: 12 });
    expect(insertText("ab", 1, "X")).toEqual({ value: "a\n\nX\n\nb", caret: 4 });
    expect(insertText("Hi \n", null, "X")).toEqual({ value: "Hi \n\nX", caret: 6 });
    // A second insert right after the first is a paragraph of its own.
    const first = insertText("", null, "One.");
    expect(insertText(first.value, first.caret, "Two.")).toEqual({ value: "One.\n\nTwo.", caret: 10 });
    expect(insertText("", null, "Hi")).toEqual({ value: "Hi", caret: 2 });
    const fia: Referral = {
      id: "r",
      language: "en",
      name: "FIA Cyber Crime Wing",
      category: "law-enforcement",
      description: "Registers complaints about online harassment.",
      contact: "Helpline 1991",
      howToPrepare: "CNIC copy, screenshots with dates",
      needsVerification: false,
    };
    expect(searchReferrals([fia], "ur", "cyber")).toEqual([fia]);
    expect(referralText(fia, { contact: "Contact", prepare: "Bring" })).toBe(
      "FIA Cyber Crime Wing\nRegisters complaints about online harassment.\nContact: Helpline 1991\nBring: CNIC copy, screenshots with dates",
    );
  });
});

describe("partner form and embed snippet", () => {
  it("parses origins and reports field errors from the contract's schema", () => {
    expect(parseOrigins("https://A.example.org/\n http://localhost:8080 ,")).toEqual([
      "https://a.example.org",
      "http://localhost:8080",
    ]);
    const errors = fieldErrors(PartnerCreateSchema, {
      id: "Bad Id",
      name: "",
      allowedOrigins: ["https://ok.org"],
      exitUrl: "javascript:alert(1)",
      defaultLanguage: "en",
      enabled: true,
    });
    expect(errors).toEqual({ id: "invalid", name: "required", exitUrl: "invalid" });
  });
  it("builds a pinned script tag, escaping attributes", () => {
    const snippet = embedSnippet(
      { id: "drf" as PartnerId, defaultLanguage: "ur", exitUrl: 'https://weather.example/?a=1&b="2"' },
      { loaderUrl: "https://help.example/embed/loader.js", integrity: "sha384-abc" },
    );
    expect(snippet.pinned).toBe(true);
    expect(snippet.html).toBe(
      '<script src="https://help.example/embed/loader.js" integrity="sha384-abc" crossorigin="anonymous" data-partner="drf" data-language="ur" data-exit-url="https://weather.example/?a=1&amp;b=&quot;2&quot;" async></script>',
    );
    expect(
      embedSnippet(
        { id: "drf" as PartnerId, defaultLanguage: "en", exitUrl: "https://x.org" },
        { loaderUrl: "/l.js", integrity: null },
      ).pinned,
    ).toBe(false);
  });
});

describe("opening hours", () => {
  const empty = [[], [], [], [], [], [], []] as unknown as Parameters<typeof addRange>[0];
  it("adds, edits and copies ranges, catching overlaps and reversed times", () => {
    let s = addRange(empty, 1);
    expect(s[1]).toEqual([{ open: "09:00", close: "17:00" }]);
    s = addRange(s, 1);
    expect(s[1]?.[1]).toEqual({ open: "17:00", close: "24:00" });
    s = setRange(s, 1, 1, { open: "16:00", close: "20:00" });
    expect(dayErrors(s[1] ?? [])).toEqual([null, "overlap"]);
    expect(scheduleValid(s)).toBe(false);
    s = setRange(s, 1, 1, { open: "21:00", close: "20:00" });
    expect(dayErrors(s[1] ?? [])).toEqual([null, "close-before-open"]);
    s = setRange(s, 1, 1, { open: "18:00", close: "20:00" });
    s = copyToAllDays(s, 1);
    expect(s.every((d) => d.length === 2)).toBe(true);
    expect(scheduleValid(s)).toBe(true);
    const hours = { timeZone: "Asia/Karachi", schedule: s, holidays: [] };
    const withHoliday = addHoliday(addHoliday(hours, { date: "2026-12-25", label: "Quaid Day" }), {
      date: "2026-08-14",
      label: "Independence Day",
    });
    expect(withHoliday.holidays.map((h) => h.date)).toEqual(["2026-08-14", "2026-12-25"]);
    expect(v.safeParse(HoursSchema, withHoliday).success).toBe(true);
    expect(removeHoliday(withHoliday, "2026-08-14").holidays).toHaveLength(1);
  });
});
