import { describe, expect, it } from "vitest";
import { issueWrapupToken } from "../../server/relay/wrapup-tokens.ts";
import { MemoryStore } from "../../server/state/memory-store.ts";
import type { SessionRecord } from "../../server/state/records.ts";
import { STAFF_NAMESPACE } from "../../shared/protocol/index.ts";
import { consoleLanguage, ct } from "../support/browser-console.ts";
import { consoleFixture } from "../support/browser-desk.ts";
import type { Helpline } from "../support/browser-servers.ts";
import { needService } from "../support/services.ts";

/**
 * With several relay nodes, a sweep on one may end a waiting chat just as another assigns it to
 * this counselor. One node stands in for both here: its store, right after an assignment is
 * written, deletes the record as the other node's sweep would, and (first chat) tells the
 * counselor's staff room `ended: helpline-closed` with a wrap-up token before the assigning
 * node's `assigned` goes out, the order the two nodes' messages can take. The second chat's
 * `ended` never comes: its `accept` is answered `unknown-session`. The counselor sees each chat
 * ended, with a line that says why (English and Urdu), never "could not be connected securely".
 */
const run = await needService("chromium");

describe.runIf(run)("a chat that ends as it reaches the console", () => {
  const fx = consoleFixture();

  it("shows it ended, with the relay's reason when it came, else ended before it began", async () => {
    let helpline: Helpline | undefined;
    let tell = true;
    const inner = new MemoryStore(Date.now);
    const store = new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop === "updateSession")
          return async (next: SessionRecord) => {
            const written = await target.updateSession(next);
            if (written && next.state === "assigned" && next.counselor) {
              await target.deleteSession(next.id);
              if (tell) {
                const wrapup = await issueWrapupToken(target, next.counselor, Date.now());
                helpline?.instance.io
                  .of(STAFF_NAMESPACE)
                  .to(`staff:${next.counselor}`)
                  .emit("ended", {
                    sessionId: next.id,
                    reason: "helpline-closed",
                    ...(wrapup ? { wrapup } : {}),
                  });
              }
            }
            return written;
          };
        const value = Reflect.get(target, prop, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    helpline = await fx.start({ overrides: { relayOptions: { store } } });
    const { page } = await fx.adminDesk();
    await page.locator("#status-select").selectOption("available");

    // Its `ended` came first: the chat shows ended at once, why, and the wrap-up form.
    await fx.survivor();
    await page.getByText(ct("ended.helpline-closed")).waitFor({ timeout: 30_000 });
    await page.getByRole("heading", { name: ct("wrapup.title") }).waitFor();
    expect(await page.getByText(ct("wrapup.noToken")).count()).toBe(0);

    // No `ended` at all: the relay answers the accept `unknown-session`.
    tell = false;
    await fx.survivor();
    await page
      .getByRole("tab", { name: ct("chat.visitor").replace("{n}", "2") })
      .first()
      .click({ timeout: 30_000 });
    await page.getByText(ct("ended.gone")).waitFor({ timeout: 30_000 });
    expect(await page.getByText(ct("chat.failed")).count()).toBe(0);
    await consoleLanguage(page, "ur");
    await page.getByText(ct("ended.gone", "ur")).waitFor();
  }, 180_000);
});
