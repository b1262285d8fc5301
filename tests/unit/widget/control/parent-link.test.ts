import { describe, expect, it } from "vitest";
import type { ToFrame } from "../../../../widget/control/messages.ts";
import { linkToParent } from "../../../../widget/frame/adapters/parent-link.ts";

/** A frame window whose parent records every postMessage with its targetOrigin. */
function frameWindow() {
  const posted: { message: unknown; target: string }[] = [];
  const parent = { postMessage: (message: unknown, target: string) => posted.push({ message, target }) };
  const listeners = new Set<(event: MessageEvent) => void>();
  const win = {
    parent,
    addEventListener: (_type: string, listener: (event: MessageEvent) => void) => listeners.add(listener),
    removeEventListener: (_type: string, listener: (event: MessageEvent) => void) =>
      listeners.delete(listener),
  };
  const deliver = (data: unknown, origin: string, source: unknown = parent) => {
    for (const listener of listeners) listener({ data, origin, source } as unknown as MessageEvent);
  };
  return { win: win as unknown as Window, parent, posted, deliver, listeners };
}

const init = { sahara: 1, type: "init", partner: "drf" };

describe("frame → loader link", () => {
  it("before init posts only bare signals, with '*'; nothing carrying data", () => {
    const f = frameWindow();
    const link = linkToParent(f.win, () => {});
    link.send({ type: "ready", exitUrl: "https://example.org/weather" });
    link.send({ type: "quick-exit", exitUrl: "https://example.org/weather" });
    link.send({ type: "quick-exit" });
    link.send({ type: "left" });
    expect(f.posted).toEqual([
      { message: { type: "quick-exit", sahara: 1 }, target: "*" },
      { message: { type: "left", sahara: 1 }, target: "*" },
    ]);
  });

  it("after init from the parent window posts everything to the partner page's exact origin", () => {
    const f = frameWindow();
    const received: ToFrame[] = [];
    const link = linkToParent(f.win, (m) => received.push(m));
    f.deliver(init, "https://partner.example");
    expect(received).toEqual([init]);
    link.send({ type: "ready", exitUrl: "https://example.org/weather" });
    link.send({ type: "resize", size: "full" });
    expect(f.posted).toEqual([
      {
        message: { type: "ready", exitUrl: "https://example.org/weather", sahara: 1 },
        target: "https://partner.example",
      },
      { message: { type: "resize", size: "full", sahara: 1 }, target: "https://partner.example" },
    ]);
  });

  it("takes the origin only from the parent window's first init, and then accepts only that origin", () => {
    const f = frameWindow();
    const received: ToFrame[] = [];
    const link = linkToParent(f.win, (m) => received.push(m));
    f.deliver(init, "https://evil.example", { postMessage: () => {} });
    f.deliver(init, "https://partner.example");
    f.deliver(init, "https://evil.example");
    f.deliver({ sahara: 1, type: "quick-exit" }, "https://evil.example");
    f.deliver({ sahara: 1, type: "quick-exit" }, "https://partner.example");
    expect(received).toEqual([init, { sahara: 1, type: "quick-exit" }]);
    link.send({ type: "close" });
    expect(f.posted.at(-1)?.target).toBe("https://partner.example");
  });

  it("a partner page with an opaque origin keeps '*' (\"null\" is not a valid targetOrigin)", () => {
    const f = frameWindow();
    const link = linkToParent(f.win, () => {});
    f.deliver(init, "null");
    link.send({ type: "ready" });
    expect(f.posted).toEqual([{ message: { type: "ready", sahara: 1 }, target: "*" }]);
  });

  it("dispose stops listening", () => {
    const f = frameWindow();
    linkToParent(f.win, () => {}).dispose();
    expect(f.listeners.size).toBe(0);
  });
});
