import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { answerSideOffer, createSideOffer, ready as readyCore } from "../../../../shared/crypto/index.ts";
import { generateIdentityKeyPair, ready } from "../../../../shared/crypto/staff/index.ts";
import type { SessionId, SideId, StaffId } from "../../../../shared/protocol/index.ts";
import { type Account, bytes, loggedInAt, makeAccount, NOW, typeIn } from "../support/app-harness.tsx";
import { eventually, type FakeTransport } from "../support/fakes.ts";
import { scriptedSurvivor } from "../support/survivor.ts";

/**
 * "Ask a supervisor" in the real console (real keyring, fake relay): the counselor's button,
 * waiting and cancel; the supervisor's request list and opening; both panels with their own
 * message box, end to end with the other side scripted on the crypto core; nothing of the chat
 * copied in; erasure when the chat ends or the other side leaves; Urdu.
 */
const S = "QQQQQQQQQQQQQQQQQQQQQQ" as SessionId;
const R = "UlVSUlJSUlJSUlJSUlJSUg" as SideId;

/** A colleague certified by `account`'s org (its keyring holds the org key). */
async function colleague(
  account: Account,
  staffId: string,
  displayName: string,
  role: "counselor" | "supervisor",
) {
  const identity = generateIdentityKeyPair();
  const cert = await account.orgSignerCrypto.call({
    type: "issue-certificate",
    staffId,
    displayName,
    role,
    subjectPublicKey: identity.publicKey,
    notBefore: NOW - 60_000,
    notAfter: NOW + 86_400_000,
  });
  if (!cert.ok) throw new Error(cert.error);
  return { identitySecretKey: identity.secretKey, certificate: cert.value.certificate };
}

/** The relay lists Bilal's request, waiting for `waitingSeconds`, to the supervisors. */
const bilalAsks = (transport: FakeTransport, waitingSeconds: number) =>
  transport.side.emit("side-requests", {
    requests: [{ requestId: R, counselor: "bilal-id" as StaffId, counselorName: "Bilal", waitingSeconds }],
  });

/** The supervisor console's `side-open`, once it has sent it. */
async function sideOpened(transport: FakeTransport) {
  await eventually(() => expect(transport.side.sent.some((s) => s.event === "side-open")).toBe(true));
  return transport.side.sent.find((s) => s.event === "side-open")?.payload as { hello: Uint8Array };
}

const utf8 = (t: string) => new TextEncoder().encode(t);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe("ask a supervisor", () => {
  let sana: Account;
  let zara: Account;
  beforeAll(async () => {
    await Promise.all([ready(), readyCore()]);
    sana = await makeAccount("sana", "a counselor's long passphrase", "counselor", false);
    zara = await makeAccount("zara", "a supervisor's long passphrase", "supervisor", false);
  });
  afterEach(() => {
    cleanup();
    // Every test unlocks at the desk's first screen, whatever the one before left in the URL.
    location.hash = "#/chats";
  });

  it("counselor: asks, talks privately with the supervisor who opened it, and the chat's end erases it", async () => {
    const supervisor = await colleague(sana, "zara-id", "Zara", "supervisor");
    const trust = { orgPublicKey: bytes(sana.orgPublicKey), nowMs: NOW };
    const { transport } = await loggedInAt(sana, "#/chats");

    const survivor = scriptedSurvivor(transport, sana, S);
    survivor.assign({ waitedSeconds: 5 });
    await screen.findByText("Safety code", {}, { timeout: 3000 });
    survivor.connect();
    survivor.say("s0", "He has my photos");
    await screen.findByText("He has my photos");

    // Ask: only the chat's id goes to the relay; the counselor sees that it waits and may cancel.
    const askButton = screen.getByRole("button", { name: "Ask a supervisor" });
    askButton.focus();
    fireEvent.click(askButton);
    await screen.findByText("Waiting for a supervisor…");
    expect(transport.side.sent).toEqual([{ event: "side-ask", payload: { sessionId: S } }]);
    expect(screen.getByRole("button", { name: "Cancel request" })).toBeTruthy();

    // A supervisor opens it: the console checks the offer, answers, and the panel opens.
    const offer = createSideOffer(R, supervisor);
    transport.side.emit("side-opened", { requestId: R, hello: offer.hello });
    const panel = await screen.findByRole(
      "region",
      { name: "Side conversation with Zara" },
      { timeout: 3000 },
    );
    const join = transport.side.sent.find((s) => s.event === "side-join")?.payload as { hello: Uint8Array };
    const completed = offer.complete(join.hello, trust, "sana-id");
    if (!completed.ok) throw new Error(completed.error);
    expect(completed.value.peer.displayName).toBe("Sana");
    expect(screen.queryByText("Waiting for a supervisor…")).toBeNull();

    // Its own box, empty: nothing of the chat is copied in.
    const box = within(panel).getByLabelText("Write to Zara") as HTMLTextAreaElement;
    expect(box.value).toBe("");
    expect(within(panel).queryByText("He has my photos")).toBeNull();
    typeIn(box, "Should I suggest the FIA?");
    fireEvent.keyDown(box, { key: "Enter", ctrlKey: true });
    await within(panel).findByText("Should I suggest the FIA?");
    const sent = transport.side.sent.find((s) => s.event === "side-message")?.payload as {
      seq: number;
      ciphertext: Uint8Array;
    };
    const opened = completed.value.conversation.open(sent.seq, sent.ciphertext);
    if (!opened.ok) throw new Error(opened.error);
    expect(text(opened.value)).toBe("Should I suggest the FIA?");
    expect(box.value).toBe("");
    // The chat's own composer is untouched by the side box.
    expect((screen.getByLabelText("Message") as HTMLTextAreaElement).value).toBe("");

    const reply = completed.value.conversation.seal(utf8("Yes, and screenshots first."));
    if (!reply.ok) throw new Error(reply.error);
    transport.side.emit("side-message", { requestId: R, ...reply.value });
    await within(panel).findByText("Yes, and screenshots first.");
    // A replay is dropped, not shown twice.
    transport.side.emit("side-message", { requestId: R, ...reply.value });
    await new Promise((r) => setTimeout(r, 50));
    expect(within(panel).getAllByText("Yes, and screenshots first.")).toHaveLength(1);

    // The chat ends: the side conversation is ended at the relay and its text erased.
    fireEvent.click(screen.getAllByRole("button", { name: "End chat" })[0] as HTMLElement);
    const dialog = await screen.findByRole("dialog", { name: "End this chat?" });
    fireEvent.click(within(dialog).getByRole("button", { name: "End chat" }));
    await screen.findByText("The chat ended, so the side conversation was erased.");
    expect(screen.queryByText("Yes, and screenshots first.")).toBeNull();
    expect(screen.queryByText("Should I suggest the FIA?")).toBeNull();
    await eventually(() => expect(transport.side.sent.some((s) => s.event === "side-end")).toBe(true));
  });

  it("counselor: cancels a request nobody opened; an offer from a non-supervisor is refused", async () => {
    const impostor = await colleague(sana, "bilal-id", "Bilal", "counselor");
    const { transport } = await loggedInAt(sana, "#/chats");
    scriptedSurvivor(transport, sana, S).assign({ waitedSeconds: 5 });
    await screen.findByText("Safety code", {}, { timeout: 3000 });
    fireEvent.click(screen.getByRole("button", { name: "Ask a supervisor" }));
    fireEvent.click(await screen.findByRole("button", { name: "Cancel request" }));
    await eventually(() =>
      expect(transport.side.sent.at(-1)).toEqual({ event: "side-end", payload: { requestId: R } }),
    );
    expect(await screen.findByRole("button", { name: "Ask a supervisor" })).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Ask a supervisor" }));
    await screen.findByText("Waiting for a supervisor…");
    transport.side.emit("side-opened", { requestId: R, hello: createSideOffer(R, impostor).hello });
    await screen.findByText(
      "The other side could not be verified as staff of this helpline, so the side conversation was closed.",
      {},
      { timeout: 3000 },
    );
    expect(transport.side.sent.some((s) => s.event === "side-join")).toBe(false);
  });

  it("supervisor: sees who asked and how long ago, opens it, talks, in English and Urdu; told when the counselor leaves", async () => {
    const counselor = await colleague(zara, "bilal-id", "Bilal", "counselor");
    const trust = { orgPublicKey: bytes(zara.orgPublicKey), nowMs: NOW };
    const { transport } = await loggedInAt(zara, "#/supervise");
    bilalAsks(transport, 130);
    const list = await screen.findByRole("region", { name: "Counselors asking for a supervisor" });
    expect(within(list).getByText("Bilal asked 2 min ago")).toBeTruthy();
    // Metadata only: no chat, no language, no partner.
    expect(list.textContent).not.toContain(S);

    fireEvent.click(within(list).getByRole("button", { name: "Open side conversation with Bilal" }));
    const open = await sideOpened(transport);
    const answered = answerSideOffer(R, open.hello, counselor, trust);
    if (!answered.ok) throw new Error(answered.error);
    expect(answered.value.peer.displayName).toBe("Zara");
    transport.side.emit("side-requests", { requests: [] });
    transport.side.emit("side-joined", { requestId: R, hello: answered.value.answer });

    const panel = await screen.findByRole("region", { name: "Side conversation with Bilal" });
    const box = within(panel).getByLabelText("Write to Bilal") as HTMLTextAreaElement;
    await waitFor(() => expect(document.activeElement).toBe(box));
    const question = answered.value.conversation.seal(utf8("کیا میں ایف آئی اے کا مشورہ دوں؟"));
    if (!question.ok) throw new Error(question.error);
    transport.side.emit("side-message", { requestId: R, ...question.value });
    await within(panel).findByText("کیا میں ایف آئی اے کا مشورہ دوں؟");
    typeIn(box, "Yes.");
    fireEvent.click(within(panel).getByRole("button", { name: "Send privately" }));
    await within(panel).findByText("Yes.");
    const sent = transport.side.sent.find((s) => s.event === "side-message")?.payload as {
      seq: number;
      ciphertext: Uint8Array;
    };
    const opened = answered.value.conversation.open(sent.seq, sent.ciphertext);
    expect(opened.ok && text(opened.value)).toBe("Yes.");

    fireEvent.change(screen.getByLabelText("Language"), { target: { value: "ur" } });
    const urdu = await screen.findByRole("region", { name: "Bilal کے ساتھ نجی گفتگو" });
    expect(within(urdu).getByRole("button", { name: "نجی طور پر بھیجیں" })).toBeTruthy();
    expect(within(urdu).getByLabelText("Bilal کو لکھیں")).toBeTruthy();

    transport.side.emit("side-ended", { requestId: R, reason: "gone" });
    await within(urdu).findByText("دوسرا شخص چلا گیا، اس لیے نجی گفتگو مٹا دی گئی۔");
    expect(screen.queryByText("Yes.")).toBeNull();
    fireEvent.click(within(urdu).getByRole("button", { name: "بند کریں" }));
    await waitFor(() => expect(screen.queryByRole("region", { name: "Bilal کے ساتھ نجی گفتگو" })).toBeNull());
  });

  it("supervisor: another console page taking the desk erases the conversation here, and says why", async () => {
    const counselor = await colleague(zara, "bilal-id", "Bilal", "counselor");
    const trust = { orgPublicKey: bytes(zara.orgPublicKey), nowMs: NOW };
    const { transport } = await loggedInAt(zara, "#/supervise");
    bilalAsks(transport, 10);
    const list = await screen.findByRole("region", { name: "Counselors asking for a supervisor" });
    fireEvent.click(within(list).getByRole("button", { name: "Open side conversation with Bilal" }));
    const answered = answerSideOffer(R, (await sideOpened(transport)).hello, counselor, trust);
    if (!answered.ok) throw new Error(answered.error);
    transport.side.emit("side-requests", { requests: [] });
    transport.side.emit("side-joined", { requestId: R, hello: answered.value.answer });
    const panel = await screen.findByRole("region", { name: "Side conversation with Bilal" });
    const box = within(panel).getByLabelText("Write to Bilal");
    await waitFor(() => expect(document.activeElement).toBe(box));
    const question = answered.value.conversation.seal(utf8("Should I suggest the FIA?"));
    if (!question.ok) throw new Error(question.error);
    transport.side.emit("side-message", { requestId: R, ...question.value });
    await within(panel).findByText("Should I suggest the FIA?");

    // The relay ended it and told the new page; this one hears only `replaced`.
    transport.replace();
    await within(panel).findByText("The other person left, so the side conversation was erased.");
    expect(screen.queryByText("Should I suggest the FIA?")).toBeNull();
    expect(screen.getByRole("alert").textContent).toContain("Sahara was opened in another tab");
  });

  it("supervisor: an answer signed by someone other than the one who asked closes the conversation", async () => {
    const other = await colleague(zara, "other-id", "Other", "counselor");
    const trust = { orgPublicKey: bytes(zara.orgPublicKey), nowMs: NOW };
    const { transport } = await loggedInAt(zara, "#/supervise");
    bilalAsks(transport, 5);
    fireEvent.click(await screen.findByRole("button", { name: "Open side conversation with Bilal" }));
    const open = await sideOpened(transport);
    const answered = answerSideOffer(R, open.hello, other, trust);
    if (!answered.ok) throw new Error(answered.error);
    transport.side.emit("side-joined", { requestId: R, hello: answered.value.answer });
    await screen.findByText(
      "The other side could not be verified as staff of this helpline, so the side conversation was closed.",
      {},
      { timeout: 3000 },
    );
    await eventually(() => expect(transport.side.sent.at(-1)?.event).toBe("side-end"));
  });
});
