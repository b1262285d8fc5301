import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApi } from "../../../../console/src/adapters/api.ts";
import { createHttpClient } from "../../../../console/src/adapters/http-client.ts";
import type { SessionActions } from "../../../../console/src/adapters/session.ts";
import { ServicesContext } from "../../../../console/src/components/services.tsx";
import { en } from "../../../../console/src/i18n/en.ts";
import { ImageMessage } from "../../../../console/src/screens/image-message.tsx";
import { fakeFetch, type Route } from "../support/fakes.ts";

/**
 * "Save as evidence": the warning first, then the audit record (an empty POST: nothing about the
 * image or the chat), and the download only once the server has recorded the save.
 */
const IMAGE = { url: "blob:null/3f1c", width: 640, height: 480 } as const;

function mount(answer: Route, mine = false) {
  const fetch = fakeFetch({ "POST /api/evidence-saves": answer });
  const api = createApi(createHttpClient(fetch));
  const downloads: { href: string; download: string }[] = [];
  vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
    downloads.push({ href: this.getAttribute("href") ?? "", download: this.download });
  });
  render(
    <ServicesContext.Provider value={{ api, session: {} as SessionActions, now: () => 0 }}>
      <ImageMessage image={IMAGE} mine={mine} />
    </ServicesContext.Provider>,
  );
  return { fetch, downloads };
}

const openAndConfirm = async () => {
  fireEvent.click(screen.getByRole("button", { name: en["chat.imageOpen"] }));
  const dialog = await screen.findByRole("dialog", { name: en["chat.imageTitle"] });
  fireEvent.click(screen.getByRole("button", { name: en["chat.imageSave"] }));
  expect(screen.getByRole("alert").textContent).toContain(en["chat.imageSaveWarning"]);
  // Focus stays in the dialog, on the safe answer, when the warning replaces the button.
  await waitFor(() => expect(document.activeElement?.textContent).toBe(en["common.cancel"]));
  return dialog;
};

describe("Save as evidence", () => {
  afterEach(() => {
    cleanup();
    vi.restoreAllMocks();
  });

  it("warns, records the save with an empty body, then downloads", async () => {
    const { fetch, downloads } = mount({ status: 204 });
    await openAndConfirm();
    // Nothing is recorded or downloaded before the counselor confirms the warning.
    expect(fetch.calls).toEqual([]);
    expect(downloads).toEqual([]);
    fireEvent.click(screen.getByRole("button", { name: en["chat.imageSaveConfirm"] }));
    await waitFor(() => expect(downloads).toEqual([{ href: IMAGE.url, download: "evidence.jpg" }]));
    expect(fetch.calls.map((c) => [c.method, c.path, c.body])).toEqual([["POST", "/api/evidence-saves", {}]]);
    expect(screen.queryByRole("button", { name: en["chat.imageSaveConfirm"] })).toBeNull();
    await waitFor(() => expect(document.activeElement?.textContent).toBe(en["chat.imageSave"]));
  });

  it("downloads nothing when the save cannot be recorded", async () => {
    const { fetch, downloads } = mount({ status: 503, body: { error: "unavailable" } });
    await openAndConfirm();
    fireEvent.click(screen.getByRole("button", { name: en["chat.imageSaveConfirm"] }));
    await screen.findByText(en["chat.imageSaveFailed"]);
    expect(fetch.calls).toHaveLength(1);
    expect(downloads).toEqual([]);
  });

  it("offers no save for an image the counselor sent", async () => {
    mount({ status: 204 }, true);
    fireEvent.click(screen.getByRole("button", { name: en["chat.imageOpen"] }));
    await screen.findByRole("dialog", { name: en["chat.imageTitle"] });
    expect(screen.getAllByRole("img", { name: en["chat.imageSentAlt"] })).toHaveLength(2);
    expect(screen.queryByRole("button", { name: en["chat.imageSave"] })).toBeNull();
  });
});
