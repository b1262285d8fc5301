import { describe, expect, it } from "vitest";
import { readCookie, sessionCookie, sessionCookieName } from "../../../../server/auth/cookies.ts";
import { createSessionStore } from "../../../../server/auth/sessions.ts";
import type { StaffId } from "../../../../shared/protocol/index.ts";

const staff = "staff-1" as StaffId;

describe("login sessions", () => {
  it("expire when idle and absolutely, and renew on use", () => {
    const clock = { t: 0 };
    const store = createSessionStore(() => clock.t, { idleMs: 100, absoluteMs: 250 });
    const { token, session } = store.create(staff);
    expect(session.csrfToken).not.toBe(token);
    clock.t = 90;
    expect(store.get(token)?.staffId).toBe(staff);
    clock.t = 180;
    expect(store.get(token)?.staffId).toBe(staff);
    clock.t = 251;
    expect(store.get(token)).toBeNull();
    const second = store.create(staff);
    clock.t += 101;
    expect(store.get(second.token)).toBeNull();
  });

  it("deletes one session, or every session of a member", () => {
    const store = createSessionStore(() => 0);
    const a = store.create(staff);
    const b = store.create(staff);
    const other = store.create("staff-2" as StaffId);
    expect(store.countFor(staff)).toBe(2);
    store.delete(a.token);
    expect(store.get(a.token)).toBeNull();
    expect(store.get(b.token)).not.toBeNull();
    store.deleteStaff(staff);
    expect(store.get(b.token)).toBeNull();
    expect(store.get(other.token)).not.toBeNull();
    expect(store.get("not-a-token")).toBeNull();
  });
});

describe("session cookie", () => {
  it("is HttpOnly, SameSite=Strict, Path=/ and __Host- prefixed when Secure", () => {
    expect(sessionCookie(sessionCookieName(true), "t".repeat(43), true, 60)).toBe(
      `__Host-sahara-session=${"t".repeat(43)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=60; Secure`,
    );
    expect(sessionCookie(sessionCookieName(false), "t".repeat(43), false, 60)).not.toContain("Secure");
  });

  it("reads only a well-formed token from a Cookie header", () => {
    const token = "A".repeat(43);
    expect(readCookie(`a=b; sahara-session=${token}; c=d`, "sahara-session")).toBe(token);
    expect(readCookie("sahara-session=../../etc", "sahara-session")).toBeNull();
    expect(readCookie(`__Host-sahara-session=${token}`, "sahara-session")).toBeNull();
    expect(readCookie(undefined, "sahara-session")).toBeNull();
    expect(readCookie("x".repeat(10_000), "sahara-session")).toBeNull();
  });
});
