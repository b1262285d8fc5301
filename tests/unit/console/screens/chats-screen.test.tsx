import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ready as readyCore } from "../../../../shared/crypto/index.ts";
import { ready } from "../../../../shared/crypto/staff/index.ts";
import { decodePayload, type PartnerId, type SessionId } from "../../../../shared/protocol/index.ts";
import {
  type Account,
  loggedInAt,
  loginRoutes,
  makeAccount,
  type mountApp,
} from "../support/app-harness.tsx";
import { eventually, WRAPUP_TOKEN } from "../support/fakes.ts";
import { scriptedSurvivor } from "../support/survivor.ts";

const S = "QQQQQQQQQQQQQQQQQQQQQQ" as SessionId;

const loggedIn = (account: Account, extra: Parameters<typeof mountApp>[0] = {}) =>
  loggedInAt(account, "#/chats", extra);

describe("chats screen", () => {
  let sana: Account;
  beforeAll(async () => {
    await Promise.all([ready(), readyCore()]);
    sana = await makeAccount("sana", "a counselor's long passphrase", "counselor", false);
  });
  afterEach(() => cleanup());

  it("takes a chat from the queue, talks end to end, ends it and files the wrap-up", async () => {
    let wrapup: unknown = null;
    const { transport, fetch } = await loggedIn(sana, {
      "POST /api/wrapups": (body) => {
        wrapup = body;
        return { status: 204 };
      },
    });
    expect(screen.queryByRole("link", { name: "Administration" })).toBeNull();

    // Status: available only once the relay confirms it.
    fireEvent.change(screen.getByLabelText("Status"), { target: { value: "available" } });
    await waitFor(() =>
      expect((screen.getByLabelText("Status") as HTMLSelectElement).value).toBe("available"),
    );
    expect(transport.requests.find((r) => r.event === "status")?.payload).toEqual({ status: "available" });

    transport.emit("queue", {
      entries: [{ sessionId: S, language: "ur", partner: "drf" as PartnerId, waitingSeconds: 95 }],
    });
    const table = await screen.findByRole("table", { name: "Visitors waiting" });
    expect(within(table).getByText("1:35")).toBeTruthy();
    expect(within(table).getByText("Urdu")).toBeTruthy();

    const survivor = scriptedSurvivor(transport, sana, S);
    transport.takeReply = () => ({
      ok: true,
      assigned: survivor.assigned({ language: "ur", waitedSeconds: 95 }),
    });
    fireEvent.click(within(table).getByRole("button", { name: "Take" }));
    await screen.findByText("Safety code", {}, { timeout: 3000 });
    expect(transport.requests.find((r) => r.event === "take")?.payload).toEqual({ sessionId: S });

    const session = survivor.connect();
    // Shown left to right even in Urdu (digit groups would otherwise swap places).
    expect(screen.getByText(session.safetyCode).getAttribute("dir")).toBe("ltr");

    survivor.say("s0", "He says he will post my pictures");
    expect(await screen.findByText("He says he will post my pictures")).toBeTruthy();

    // A canned response goes into the composer; Ctrl+Enter sends it encrypted.
    fireEvent.click(screen.getByRole("button", { name: "Responses" }));
    fireEvent.click(await screen.findByRole("button", { name: /Greeting/ }));
    const box = screen.getByLabelText("Message") as HTMLTextAreaElement;
    expect(box.value).toBe("You are safe to talk here.");
    fireEvent.keyDown(box, { key: "Enter", ctrlKey: true });
    await eventually(() => {
      const texts = transport.frames
        .map((f) => session.channel.open(f.seq, f.ciphertext))
        .flatMap((o) => (o.ok ? [decodePayload(o.value.payload)] : []))
        .flatMap((p) => (p.ok && p.value.type === "text" ? [p.value.body] : []));
      expect(texts).toContain("You are safe to talk here.");
    });
    expect(await screen.findByText("You are safe to talk here.", { selector: "p" })).toBeTruthy();

    // End the chat: the text is gone, the wrap-up form appears.
    fireEvent.click(screen.getByRole("button", { name: "End chat" }));
    const dialog = await screen.findByRole("dialog", { name: "End this chat?" });
    fireEvent.click(within(dialog).getByRole("button", { name: "End chat" }));
    await screen.findByRole("heading", { name: "Wrap-up" });
    expect(screen.queryByText("He says he will post my pictures")).toBeNull();

    fireEvent.click(screen.getByRole("button", { name: "Submit" }));
    const platform = screen.getByLabelText("Platform");
    expect(platform.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(platform.getAttribute("aria-describedby") ?? "")?.textContent).toBe(
      "Please choose one.",
    );

    fireEvent.change(platform, { target: { value: "whatsapp" } });
    // Several types at once; an outcome; follow-up advised (a count only).
    const types = screen.getByRole("group", { name: "Types of harassment (all that apply)" });
    expect(types.getAttribute("aria-invalid")).toBe("true");
    fireEvent.click(within(types).getByLabelText("Blackmail"));
    fireEvent.click(within(types).getByLabelText("Impersonation or fake profile"));
    fireEvent.click(screen.getByLabelText("Helped report to a platform"));
    fireEvent.click(screen.getByLabelText("Follow-up advised (counted only)"));
    fireEvent.click(screen.getByLabelText("A family member"));
    fireEvent.click(screen.getByLabelText("Legal aid"));
    fireEvent.click(screen.getByLabelText("This was a difficult conversation"));
    fireEvent.click(screen.getByRole("button", { name: "Submit" }));
    await screen.findByRole("dialog", { name: "Take a moment" });
    expect(wrapup).toEqual({
      token: WRAPUP_TOKEN,
      partner: "drf",
      language: "ur",
      platform: "whatsapp",
      harassmentTypes: ["blackmail", "impersonation"],
      callerType: "family",
      region: null,
      gender: null,
      referrals: ["legal-aid"],
      outcomes: ["platform-report"],
      followUp: true,
      difficult: true,
      duration: "<10m",
    });
    expect(fetch.calls.find((c) => c.path === "/api/wrapups")?.headers["X-CSRF-Token"]).toBe("csrf-token-1");
    expect(screen.getByText("No open chat. Take one from the queue.")).toBeTruthy();

    // The break: the relay hears "break", and a timer runs.
    fireEvent.click(screen.getByRole("button", { name: "Start the break" }));
    expect(await screen.findByText(/Break: 15:00 left/)).toBeTruthy();
    expect(transport.requests.filter((r) => r.event === "status").at(-1)?.payload).toEqual({
      status: "break",
    });
  });

  it("tells a counselor whose certificate runs out within a week to have it renewed", async () => {
    const short = await makeAccount(
      "sana",
      "a counselor's long passphrase",
      "counselor",
      false,
      3 * 86_400_000,
    );
    await loggedIn(short);
    expect(screen.getByText(/Your certificate expires in 3 days/)).toBeTruthy();
    cleanup();
    await loggedIn(sana);
    expect(screen.queryByText(/Your certificate expires/)).toBeNull();
  });

  it("offers a colleague certified after this console unlocked, and canned responses added since", async () => {
    // At unlock nobody else is certified and there is one canned response.
    let staff: unknown[] = [];
    let extraCanned: unknown[] = [];
    const base = loginRoutes(sana)["GET /api/canned"] as { status: number; body: { responses: unknown[] } };
    const { transport } = await loggedIn(sana, {
      "GET /api/staff/directory": () => ({ status: 200, body: { staff } }),
      "GET /api/canned": () => ({
        status: 200,
        body: { responses: [...base.body.responses, ...extraCanned] },
      }),
    });
    scriptedSurvivor(transport, sana, S).assign();
    await screen.findByText("Safety code", {}, { timeout: 3000 });

    // An admin certifies Bilal and adds a response while Sana's console stays open.
    const bilal = await makeAccount("bilal", "bilal's own long passphrase", "counselor", false);
    staff = [
      {
        id: "bilal-id",
        displayName: "Bilal",
        role: "counselor",
        identityPublicKey: bilal.identityPublicKey,
        certificate: bilal.certificate,
      },
    ];
    extraCanned = [
      { id: "c9", language: "en", title: "Helpline hours", body: "We are open 9 to 5.", tags: [] },
    ];

    fireEvent.click(screen.getByRole("button", { name: "Transfer" }));
    const dialog = await screen.findByRole("dialog", { name: "Transfer the chat" });
    await waitFor(() => expect(within(dialog).getByRole("radio", { name: /Bilal/ })).toBeTruthy());
    fireEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));

    fireEvent.click(screen.getByRole("button", { name: "Responses" }));
    const picker = await screen.findByRole("dialog");
    await waitFor(() => expect(within(picker).getByText("Helpline hours")).toBeTruthy());
  });

  it("shows unread badges across tabs, switches with Alt+digit, and lists shortcuts in help", async () => {
    const { transport } = await loggedIn(sana);
    const b = scriptedSurvivor(transport, sana, "BBBBBBBBBBBBBBBBBBBBBB" as SessionId);
    scriptedSurvivor(transport, sana, S).assign();
    b.assign({ language: "ur" });
    await eventually(() => expect(transport.requests.filter((r) => r.event === "accept")).toHaveLength(2));
    b.connect();
    b.say("x", "hello from the second visitor");
    const tab2 = await screen.findByRole("tab", { name: /Visitor 2/ });
    await waitFor(() => expect(within(tab2).getByText("1 unread")).toBeTruthy());
    await waitFor(() => expect(document.title).toBe("(1) Sahara"));

    fireEvent.keyDown(window, { code: "Digit2", key: "2", altKey: true });
    await waitFor(() =>
      expect(screen.getByRole("tab", { name: /Visitor 2/ }).getAttribute("aria-selected")).toBe("true"),
    );
    expect(await screen.findByText("hello from the second visitor")).toBeTruthy();
    await waitFor(() => expect(document.title).toBe("Sahara"));

    fireEvent.keyDown(window, { code: "KeyH", key: "h", altKey: true });
    const help = await screen.findByRole("dialog", { name: "Keyboard shortcuts" });
    expect(within(help).getByText("Take the next waiting chat")).toBeTruthy();
    fireEvent.keyDown(within(help).getByRole("button", { name: "Close" }), { key: "Escape" });
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  });
});
