import { cleanup, fireEvent, render, screen, within } from "@testing-library/preact";
import { afterEach, beforeAll, describe, expect, it, type Mock, vi } from "vitest";
import type { Actions } from "../../../../widget/frame/actions.ts";
import { App } from "../../../../widget/frame/app.tsx";
import { loadCatalogue } from "../../../../widget/frame/i18n/catalogue.ts";
import type { FrameEvent } from "../../../../widget/frame/state/events.ts";
import { reduce } from "../../../../widget/frame/state/reducer.ts";
import type { State } from "../../../../widget/frame/state/types.ts";
import { openConfig, partner, run, toChat } from "../state/fixtures.ts";

const clock = { now: Date.UTC(2026, 10, 30, 10, 0), localOffset: 0 };

// The frame fetches each language's words on demand (i18n/catalogue.ts); here both are at hand.
beforeAll(async () => {
  await Promise.all([loadCatalogue("en"), loadCatalogue("ur")]);
});

type Spies = { [K in keyof Actions]: Mock<Actions[K]> };

function spies(): Spies {
  return {
    chooseLanguage: vi.fn<Actions["chooseLanguage"]>(),
    chooseForWhom: vi.fn<Actions["chooseForWhom"]>(),
    start: vi.fn<Actions["start"]>(),
    send: vi.fn<Actions["send"]>(),
    prepareImage: vi.fn<Actions["prepareImage"]>(),
    sendImage: vi.fn<Actions["sendImage"]>(),
    discardImage: vi.fn<Actions["discardImage"]>(),
    typing: vi.fn<Actions["typing"]>(),
    endChat: vi.fn<Actions["endChat"]>(),
    quickExit: vi.fn<Actions["quickExit"]>(),
    restart: vi.fn<Actions["restart"]>(),
    hide: vi.fn<Actions["hide"]>(),
    activity: vi.fn<Actions["activity"]>(),
  };
}

function show(state: State) {
  const actions = spies();
  const view = render(<App state={state} actions={actions} clock={clock} />);
  const rerender = (next: State) => view.rerender(<App state={next} actions={actions} clock={clock} />);
  return { actions, rerender };
}

/** Every form control has an accessible name (label, aria-label or labelled-by). */
function expectAllLabelled() {
  for (const control of document.querySelectorAll("input, select, textarea, button")) {
    const id = control.getAttribute("id");
    const labelled =
      (id !== null && document.querySelector(`label[for="${id}"]`) !== null) ||
      control.closest("label") !== null ||
      control.hasAttribute("aria-label") ||
      (control.tagName === "BUTTON" && (control.textContent ?? "").trim().length > 0);
    expect(labelled, control.outerHTML).toBe(true);
  }
}

const start = run([
  { type: "init", partner, language: null, now: 0 },
  { type: "config-loaded", config: openConfig },
]);

afterEach(cleanup);

describe("frame screens", () => {
  it("closed: hours in the helpline's and the survivor's time, resources, and no message box", () => {
    const closed = run([
      { type: "init", partner, language: null, now: 0 },
      { type: "config-loaded", config: { ...openConfig, open: false } },
    ]);
    show(closed);
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("We are closed right now");
    expect(screen.getByRole("columnheader", { name: "Helpline time (Asia/Karachi)" })).toBeTruthy();
    // The survivor is at UTC (offset 0), Karachi is UTC+5: Monday 09:00-17:00 there is 04:00-12:00 here.
    expect(screen.getByRole("columnheader", { name: "Your time" })).toBeTruthy();
    const monday = screen.getByRole("row", { name: /Monday/ });
    expect(within(monday).getByText("09:00–17:00")).toBeTruthy();
    expect(within(monday).getByText("04:00–12:00")).toBeTruthy();
    expect(screen.getByText("15")).toBeTruthy();
    expect(document.querySelector("textarea, input[type=text]")).toBeNull();
  });

  it("start: optional who-for choice, privacy note, labelled controls; Start calls the action", () => {
    const { actions } = show(start);
    expect(document.activeElement?.textContent).toBe("Talk to a counselor");
    fireEvent.click(screen.getByLabelText("Someone I know"));
    expect(actions.chooseForWhom).toHaveBeenCalledWith("someone-else");
    expect(screen.getByText(/not stored on this device/)).toBeTruthy();
    // The one record the browser may keep (session-restore files) is named, with the way around it.
    expect(screen.getByText(/use a private \(incognito\) window/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Start chat" }));
    expect(actions.start).toHaveBeenCalledOnce();
    expectAllLabelled();
  });

  it("start: shows a relay refusal as an alert", () => {
    show(
      reduce(run([{ type: "start-requested", now: 1 }], start), { type: "relay-error", code: "queue-full" }),
    );
    expect(screen.getByRole("alert").textContent).toContain("queue is full");
  });

  it("waiting: proof-of-work progress, then queue position and wait in a status region", () => {
    const { rerender } = show(run(toChat.slice(0, 5)));
    const bar = screen.getByRole("progressbar", { name: "Secure connection setup" });
    expect(bar.getAttribute("value")).toBe("50");
    rerender(run(toChat.slice(0, 7)));
    const status = screen.getByRole("status");
    expect(status.textContent).toContain("You are number 2 in the queue.");
    expect(status.textContent).toContain("about 2 minutes");
  });

  it("waiting: a step list ticks each step as it completes, and the status line says so (English and Urdu)", () => {
    const steps = () =>
      within(screen.getByRole("list", { name: "Connecting, step by step" }))
        .getAllByRole("listitem")
        .map((item) => `${item.dataset.state}:${item.getAttribute("aria-current") ?? "-"}`);
    const { rerender } = show(run(toChat.slice(0, 3)));
    expect(steps()).toEqual(["current:step", "todo:-", "todo:-", "todo:-"]);
    expect(screen.getByRole("status").textContent).toBe("Securing the connection…");
    const first = screen.getByText("Securing the connection").closest("li")!;
    expect(first.textContent).toContain("(in progress)");
    rerender(run(toChat.slice(0, 4)));
    expect(steps()).toEqual(["done:-", "current:step", "todo:-", "todo:-"]);
    expect(screen.getByRole("status").textContent).toBe("Connection secured. Proving you are not a bot…");
    expect(first.textContent).toContain("(done)");
    rerender(run(toChat.slice(0, 7)));
    expect(steps()).toEqual(["done:-", "done:-", "current:step", "todo:-"]);
    rerender(run(toChat.slice(0, 8)));
    expect(steps()).toEqual(["done:-", "done:-", "done:-", "current:step"]);
    expect(screen.getByRole("status").textContent).toContain("Creating a secure channel");

    const urdu = run([...toChat.slice(0, 4), { type: "language-chosen", language: "ur", now: 1 }]);
    rerender(urdu);
    const list = screen.getByRole("list", { name: "رابطہ، قدم بہ قدم" });
    expect(list.textContent).toContain("یہ ثابت کرنا کہ آپ روبوٹ نہیں ہیں");
    expect(list.textContent).toContain("(مکمل)");
    expect(screen.getByRole("status").textContent).toContain("کنکشن محفوظ ہو گیا");
  });

  it("chat: counselor name, safety code, labelled message box without autocomplete, messages in a polite log", () => {
    const chat = run(toChat);
    const { actions, rerender } = show(chat);
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Chat with Amina");
    expect(screen.getByText("1234 5678")).toBeTruthy();
    const box = screen.getByLabelText("Your message") as HTMLTextAreaElement;
    expect(box.getAttribute("autocomplete")).toBe("off");
    const log = screen.getByRole("log");
    expect(log.getAttribute("aria-live")).toBe("polite");
    expect(within(log).getByText("Amina joined the chat.")).toBeTruthy();

    const incoming: FrameEvent = {
      type: "payload-opened",
      epoch: 0,
      seq: 0,
      payload: { type: "text", id: "c1", body: "I am here for you" },
      now: 9,
    };
    rerender(reduce(chat, incoming));
    // New messages are added inside the live region, which is what screen readers announce.
    expect(within(screen.getByRole("log")).getByText("I am here for you")).toBeTruthy();

    fireEvent.input(box, { target: { value: "  hello  " } });
    expect(actions.typing).toHaveBeenCalledWith(true);
    fireEvent.submit(box.closest("form")!);
    expect(actions.send).toHaveBeenCalledWith("hello");
    expect(box.value).toBe("");
    expectAllLabelled();
  });

  it("chat: the live log wraps the list, so the <ol> keeps its list semantics (axe: list, listitem)", () => {
    show(
      run([
        ...toChat,
        { type: "message-composed", id: "m1", body: "hi", now: 3 },
        {
          type: "payload-opened",
          epoch: 0,
          seq: 0,
          payload: { type: "text", id: "c1", body: "hello" },
          now: 4,
        },
      ]),
    );
    const log = screen.getByRole("log");
    expect(log.tagName).toBe("DIV");
    const lists = log.querySelectorAll("ol");
    expect(lists.length).toBe(1);
    const list = lists[0]!;
    expect(list.hasAttribute("role")).toBe(false);
    expect(list.parentElement).toBe(log);
    const items = [...list.children];
    expect(items.length).toBe(3);
    for (const item of items) {
      expect(item.tagName).toBe("LI");
      expect(item.hasAttribute("role")).toBe(false);
    }
    // No stray list items outside a list anywhere on the screen.
    for (const li of document.querySelectorAll("li")) expect(li.parentElement?.tagName).toMatch(/^(OL|UL)$/);
  });

  it("chat: typing and read indicators", () => {
    const chat = run([
      ...toChat,
      { type: "message-composed", id: "m1", body: "hi", now: 3 },
      { type: "frame-sealed", epoch: 0, seq: 0, ciphertext: new Uint8Array([1]), messageId: "m1" },
      { type: "payload-opened", epoch: 0, seq: 0, payload: { type: "read", upTo: 0 }, now: 4 },
      { type: "payload-opened", epoch: 0, seq: 1, payload: { type: "typing", active: true }, now: 5 },
    ]);
    show(chat);
    expect(screen.getByText("Amina is typing…")).toBeTruthy();
    expect(screen.getByText("Read")).toBeTruthy();
  });

  it("chat: a calm notice while the counselor's connection is down, cleared when they are back (English and Urdu)", () => {
    const chat = run(toChat);
    const { rerender } = show(chat);
    const away = "Your counselor's connection dropped. Please stay here: they will usually be back shortly.";
    expect(screen.queryByText(away)).toBeNull();
    const dropped = reduce(chat, { type: "peer-status", connected: false });
    rerender(dropped);
    const notice = screen.getByText(away);
    expect(notice.getAttribute("role")).toBe("status");
    // Outside the transcript's log: it is a state, not a message, and is not kept.
    expect(screen.getByRole("log").contains(notice)).toBe(false);
    rerender(reduce(dropped, { type: "language-chosen", language: "ur", now: 5 }));
    expect(document.querySelector(".peer-away")?.textContent).toBe(
      "آپ کے کاؤنسلر کا رابطہ ٹوٹ گیا ہے۔ براہِ کرم یہیں رہیں، وہ عموماً جلد واپس آ جاتے ہیں۔",
    );
    rerender(reduce(dropped, { type: "peer-status", connected: true }));
    expect(screen.queryByText(away)).toBeNull();
    expect(document.querySelector(".peer-away")).toBeNull();
  });

  it("Quick exit is on every screen and calls the action; End chat asks once, then calls it", () => {
    for (const state of [start, run(toChat.slice(0, 7)), run(toChat)]) {
      const { actions } = show(state);
      fireEvent.click(screen.getByRole("button", { name: "Quick exit" }));
      expect(actions.quickExit).toHaveBeenCalledOnce();
      cleanup();
    }
    const { actions } = show(run(toChat));
    fireEvent.click(screen.getByRole("button", { name: "End chat" }));
    expect(actions.endChat).not.toHaveBeenCalled();
    // "Keep chatting" takes the focus and End chat's place: nothing is erased.
    expect(document.activeElement?.textContent).toBe("Keep chatting");
    fireEvent.click(screen.getByRole("button", { name: "Keep chatting" }));
    expect(actions.endChat).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole("button", { name: "End chat" }));
    fireEvent.click(screen.getByRole("button", { name: "End and erase" }));
    expect(actions.endChat).toHaveBeenCalledOnce();
  });

  it("ended: says the conversation was erased, focuses that heading, and no message remains in the DOM", () => {
    const chat = run([...toChat, { type: "message-composed", id: "m1", body: "secret words", now: 3 }]);
    const { actions, rerender } = show(chat);
    expect(document.body.textContent).toContain("secret words");
    rerender(reduce(chat, { type: "wipe", reason: "you-ended" }));
    expect(document.activeElement?.textContent).toBe("This conversation has been erased");
    expect(document.body.textContent).not.toContain("secret words");
    expect(document.querySelector("textarea")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Start a new chat" }));
    expect(actions.restart).toHaveBeenCalledOnce();
  });

  it("quick exit leaves nothing on screen", () => {
    show(reduce(run(toChat), { type: "quick-exit" }));
    expect(document.body.textContent).toBe("");
  });

  it("Urdu: right-to-left, lang=ur, Urdu words, language switch labelled", () => {
    const urdu = reduce(start, { type: "language-chosen", language: "ur", now: 2 });
    const { actions } = show(urdu);
    expect(document.documentElement.dir).toBe("rtl");
    expect(document.documentElement.lang).toBe("ur");
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("کاؤنسلر سے بات کریں");
    expect(screen.getByRole("button", { name: "فوری باہر نکلیں" })).toBeTruthy();
    expect(screen.getByText(/پرائیویٹ \(incognito\) ونڈو/)).toBeTruthy();
    const select = screen.getByLabelText("زبان") as HTMLSelectElement;
    fireEvent.change(select, { target: { value: "en" } });
    expect(actions.chooseLanguage).toHaveBeenCalledWith("en");
    expectAllLabelled();
  });
});
