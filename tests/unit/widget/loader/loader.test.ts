import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startLoader } from "../../../../widget/loader/loader.ts";
import { frameSrc } from "../../../../widget/loader/frame-host.ts";

/**
 * happy-dom loads no iframe documents, so each iframe gets a stand-in window that records what
 * is posted to it. The loader's source check compares against exactly this object.
 */
type FakeWindow = {
  posted: { message: unknown; targetOrigin: string }[];
  postMessage: (m: unknown, o: string) => void;
};
const windows = new WeakMap<HTMLIFrameElement, FakeWindow>();
const original = Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, "contentWindow");
beforeAll(() => {
  Object.defineProperty(HTMLIFrameElement.prototype, "contentWindow", {
    configurable: true,
    get(this: HTMLIFrameElement) {
      let fake = windows.get(this);
      if (!fake) {
        const posted: FakeWindow["posted"] = [];
        fake = { posted, postMessage: (message, targetOrigin) => posted.push({ message, targetOrigin }) };
        windows.set(this, fake);
      }
      return fake;
    },
  });
});
afterAll(() => {
  if (original) Object.defineProperty(HTMLIFrameElement.prototype, "contentWindow", original);
});
const fakeWindow = (frame: HTMLIFrameElement) =>
  frame.contentWindow as unknown as FakeWindow & MessageEventSource;

/** Mounts the loader from a script tag like the partner's snippet; returns handles for the test. */
function mount(attributes: Record<string, string>) {
  const script = document.createElement("script");
  script.src = "https://helpline.example/embed/v1/sahara.js";
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
  document.head.append(script);
  const replaced: string[] = [];
  let clock = 1000;
  startLoader(script, { replace: (url) => replaced.push(url), now: () => clock });
  const host = document.querySelector<HTMLElement>('[data-sahara="loader"]');
  const root = host?.shadowRoot ?? null;
  return {
    host,
    root,
    replaced,
    launcher: () => root?.querySelector("button") ?? null,
    iframe: () => root?.querySelector("iframe") ?? null,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

const shift = () => document.dispatchEvent(new KeyboardEvent("keydown", { key: "Shift", bubbles: true }));

/** Delivers a message to the loader's window listener as if from `source`. */
function deliver(data: unknown, source: MessageEventSource | null) {
  window.dispatchEvent(new MessageEvent("message", { data, source }));
}

beforeEach(() => {
  document.head.innerHTML = "";
  document.body.innerHTML = "";
  document.documentElement.style.removeProperty("visibility");
});
afterEach(() => {
  document.body.innerHTML = "";
});

/** Runs `test` with the closed shadow roots attached meanwhile (the loader's shell) in `closed`. */
function withClosedShadowRoots(test: (closed: readonly ShadowRoot[]) => void): void {
  const attach = Element.prototype.attachShadow;
  const closed: ShadowRoot[] = [];
  Element.prototype.attachShadow = function (init) {
    const shadow = attach.call(this, init);
    if (init.mode === "closed") closed.push(shadow);
    return shadow;
  };
  try {
    test(closed);
  } finally {
    Element.prototype.attachShadow = attach;
  }
}

describe("loader", () => {
  it("refuses to start without a valid partner id", () => {
    const { host } = mount({ "data-partner": "Not A Slug!" });
    expect(host).toBeNull();
  });

  it("draws an accessible launcher that respects position and language", () => {
    const { launcher } = mount({
      "data-partner": "drf",
      "data-position": "bottom-left",
      "data-language": "ur",
    });
    const button = launcher();
    expect(button?.textContent).toBe("کسی سے بات کریں");
    expect(button?.getAttribute("aria-expanded")).toBe("false");
    expect(button?.className).toContain("s");
    expect(button?.dir).toBe("rtl");
  });

  it("opens a sandboxed, no-referrer iframe on the helpline origin; its URL names only the partner", () => {
    const { launcher, iframe } = mount({ "data-partner": "drf" });
    launcher()?.click();
    const frame = iframe();
    expect(frame?.getAttribute("src")).toBe("https://helpline.example/frame/?partner=drf");
    expect(frame?.getAttribute("sandbox")).toBe(
      "allow-scripts allow-popups allow-top-navigation-by-user-activation",
    );
    expect(frame?.referrerPolicy).toBe("no-referrer");
    expect(frame?.getAttribute("allow")).toBe("");
    expect(frame?.title).toBe("Confidential chat with a counselor");
    expect(launcher()?.getAttribute("aria-expanded")).toBe("true");
  });

  it("sends only the partner id and language to its own frame once it has loaded", () => {
    const { launcher, iframe } = mount({ "data-partner": "drf", "data-language": "ur" });
    launcher()?.click();
    const frame = iframe()!;
    expect(fakeWindow(frame).posted).toEqual([]);
    frame.dispatchEvent(new Event("load"));
    // "*" because the sandboxed frame's origin is opaque; the exact window is the address.
    expect(fakeWindow(frame).posted).toEqual([
      { message: { sahara: 1, type: "init", partner: "drf", language: "ur" }, targetOrigin: "*" },
    ]);
  });

  it("asks a loaded frame to wipe on triple Shift, then leaves", async () => {
    const { launcher, iframe, replaced } = mount({ "data-partner": "drf" });
    launcher()?.click();
    const frame = iframe()!;
    frame.dispatchEvent(new Event("load"));
    shift();
    shift();
    shift();
    expect(document.documentElement.style.getPropertyValue("visibility")).toBe("hidden");
    expect(fakeWindow(frame).posted.at(-1)).toEqual({
      message: { sahara: 1, type: "quick-exit" },
      targetOrigin: "*",
    });
    // The frame answers `left` once it has told the counselor and wiped.
    deliver({ sahara: 1, type: "quick-exit" }, fakeWindow(frame));
    expect(replaced).toEqual([]);
    deliver({ sahara: 1, type: "left" }, fakeWindow(frame));
    expect(replaced).toEqual(["https://www.google.com/search?q=weather"]);
  });

  it("ignores messages from any window but its frame, and malformed ones from it", () => {
    const { launcher, iframe, replaced } = mount({ "data-partner": "drf" });
    launcher()?.click();
    const frame = iframe()!;
    deliver({ sahara: 1, type: "quick-exit", exitUrl: "https://evil.example/" }, window);
    deliver({ sahara: 1, type: "left" }, window);
    deliver({ sahara: 1, type: "close" }, null);
    expect(replaced).toEqual([]);
    expect(frame.hidden).toBe(false);
    deliver({ sahara: 1, type: "quick-exit", exitUrl: 42 }, fakeWindow(frame));
    expect(replaced).toEqual([]);
    expect(document.documentElement.style.getPropertyValue("visibility")).toBe("");
    deliver({ sahara: 1, type: "close" }, fakeWindow(frame));
    expect(frame.hidden).toBe(true);
  });

  it("removes the frame on `close` with `drop` (nothing runs in it), and the launcher opens a fresh one", () => {
    const { launcher, iframe, root } = mount({ "data-partner": "drf" });
    launcher()?.click();
    const first = iframe()!;
    deliver({ sahara: 1, type: "close", drop: true }, window);
    expect(iframe()).toBe(first);
    deliver({ sahara: 1, type: "close", drop: true }, fakeWindow(first));
    expect(iframe()).toBeNull();
    expect(first.isConnected).toBe(false);
    expect(launcher()?.getAttribute("aria-expanded")).toBe("false");
    expect(root?.activeElement).toBe(launcher());
    launcher()?.click();
    const second = iframe()!;
    expect(second).not.toBe(first);
    expect(second.src).toBe("https://helpline.example/frame/?partner=drf");
    expect(launcher()?.getAttribute("aria-expanded")).toBe("true");
  });

  it("blanks at once on the frame's quick-exit and leaves for its exit URL on `left`, removing the frame", () => {
    const { launcher, iframe, replaced, root } = mount({ "data-partner": "drf" });
    launcher()?.click();
    const frame = iframe()!;
    frame.dispatchEvent(new Event("load"));
    deliver({ sahara: 1, type: "ready", exitUrl: "https://news.example/today" }, fakeWindow(frame));
    deliver({ sahara: 1, type: "quick-exit" }, fakeWindow(frame));
    expect(document.documentElement.style.getPropertyValue("visibility")).toBe("hidden");
    expect(replaced).toEqual([]);
    deliver({ sahara: 1, type: "left" }, fakeWindow(frame));
    expect(replaced).toEqual(["https://news.example/today"]);
    expect(document.documentElement.style.getPropertyValue("visibility")).toBe("hidden");
    expect(root?.querySelector("iframe")).toBeNull();
  });

  it("never navigates to a script URL handed over by the frame", () => {
    const { launcher, iframe, replaced } = mount({
      "data-partner": "drf",
      "data-exit-url": "https://weather.example/",
    });
    launcher()?.click();
    const frame = iframe()!;
    deliver({ sahara: 1, type: "quick-exit", exitUrl: "javascript:alert(1)" }, fakeWindow(frame));
    expect(replaced).toEqual(["https://weather.example/"]);
  });

  it("quick-exits on Shift pressed three times within the window, not slower", () => {
    const slow = mount({ "data-partner": "drf" });
    shift();
    slow.advance(1000);
    shift();
    slow.advance(1000);
    shift();
    expect(slow.replaced).toEqual([]);
    shift();
    shift();
    expect(slow.replaced).toEqual(["https://www.google.com/search?q=weather"]);
  });

  it("does not count a held Shift key (auto-repeat)", () => {
    const { replaced } = mount({ "data-partner": "drf" });
    shift();
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "Shift", repeat: true, bubbles: true }));
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "Shift", repeat: true, bubbles: true }));
    expect(replaced).toEqual([]);
  });

  it("reads nothing from the page: no cookie, storage, URL, title or referrer access", () => {
    const touched: string[] = [];
    const spy = (target: object, name: string) => {
      const descriptor = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(target), name);
      Object.defineProperty(target, name, {
        configurable: true,
        get: () => {
          touched.push(name);
          return descriptor?.get?.call(target);
        },
      });
    };
    for (const name of ["cookie", "title", "referrer", "URL"]) spy(document, name);
    Object.defineProperty(window, "localStorage", {
      configurable: true,
      get: () => touched.push("localStorage"),
    });
    Object.defineProperty(window, "sessionStorage", {
      configurable: true,
      get: () => touched.push("sessionStorage"),
    });
    const { launcher } = mount({ "data-partner": "drf" });
    launcher()?.click();
    expect(touched).toEqual([]);
    for (const name of ["cookie", "title", "referrer", "URL"])
      delete (document as unknown as Record<string, unknown>)[name];
  });

  it("paints a shell in a closed shadow root at once; only its frame's `painted` hands over", () =>
    withClosedShadowRoots((closed) => {
      const { launcher, iframe, root } = mount({ "data-partner": "drf", "data-language": "ur" });
      launcher()?.click();
      const frame = iframe()!;
      const [shell] = closed;
      const shellHost = root?.querySelector("div");
      expect(shell && shellHost?.shadowRoot).toBeNull();
      const panel = shell?.querySelector("div");
      expect(panel?.dir).toBe("rtl");
      expect([...(shell?.querySelectorAll("button") ?? [])].map((b) => b.textContent)).toEqual([
        "چیٹ چھپائیں",
        "فوری باہر نکلیں",
      ]);
      expect(shell?.querySelector("[role=status]")?.textContent).toBe("نجی چیٹ کھل رہی ہے…");
      expect(shell?.activeElement).toBe(panel);
      // Transparent and untouchable until it has painted.
      expect(frame.classList.contains("w")).toBe(true);
      expect(frame.inert).toBe(true);
      deliver({ sahara: 1, type: "painted" }, window);
      expect(shellHost?.isConnected).toBe(true);
      deliver({ sahara: 1, type: "painted" }, fakeWindow(frame));
      expect(shellHost?.isConnected).toBe(false);
      expect(frame.classList.contains("w")).toBe(false);
      expect(frame.inert).toBe(false);
      // Focus was in the shell, so it moves into the frame.
      expect(root?.activeElement).toBe(frame);
    }));

  it("the shell's Hide and Escape drop the panel; its Quick exit leaves at once", () =>
    withClosedShadowRoots((closed) => {
      const { launcher, iframe, root, replaced } = mount({ "data-partner": "drf" });
      launcher()?.click();
      closed.at(-1)?.querySelector("button")?.click();
      expect(iframe()).toBeNull();
      expect(root?.querySelectorAll("div").length).toBe(0);
      expect(root?.activeElement).toBe(launcher());
      expect(launcher()?.getAttribute("aria-expanded")).toBe("false");

      launcher()?.click();
      closed
        .at(-1)
        ?.querySelector("div")
        ?.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
      expect(iframe()).toBeNull();
      expect(root?.activeElement).toBe(launcher());

      launcher()?.click();
      closed.at(-1)?.querySelectorAll("button")[1]?.click();
      expect(document.documentElement.style.getPropertyValue("visibility")).toBe("hidden");
      expect(replaced).toEqual(["https://www.google.com/search?q=weather"]);
    }));

  it("a frame that loads but never says `painted` is shown a moment after its load", async () => {
    const { launcher, iframe, root } = mount({ "data-partner": "drf" });
    launcher()?.click();
    const frame = iframe()!;
    frame.dispatchEvent(new Event("load"));
    expect(frame.inert).toBe(true);
    await expect.poll(() => frame.inert, { timeout: 3000 }).toBe(false);
    expect(root?.querySelectorAll("div").length).toBe(0);
  });

  it("puts the language in the frame's path and keeps the partner in its query", () => {
    expect(frameSrc("https://helpline.example/frame/?partner=drf", "ur")).toBe(
      "https://helpline.example/frame/ur/?partner=drf",
    );
    expect(frameSrc("https://helpline.example/frame/?partner=drf", undefined)).toBe(
      "https://helpline.example/frame/?partner=drf",
    );
  });
});
