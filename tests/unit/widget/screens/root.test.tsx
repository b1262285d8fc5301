import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Actions } from "../../../../widget/frame/actions.ts";
import { CATALOGUES } from "../../../../widget/frame/i18n/all.ts";
import { Root } from "../../../../widget/frame/root.tsx";
import { initialState } from "../../../../widget/frame/state/initial.ts";
import { createStore } from "../../../../widget/frame/state/store.ts";
import { openConfig, partner } from "../state/fixtures.ts";

const noop = () => undefined;
const actions = new Proxy({}, { get: () => noop }) as Actions;

afterEach(() => {
  document.body.replaceChildren();
});

describe("the frame's root view", () => {
  it("shows a transition that happens right after the first render, before effects would run", async () => {
    const container = document.createElement("div");
    document.body.append(container);
    const store = createStore(initialState(0));
    render(<Root controller={{ store, actions }} />, container);
    // The loader's `init` and the configuration that came with the page, in the same task as
    // the first render (as when the page's load event follows the entry script at once).
    store.dispatch({ type: "init", partner, language: null, now: 0 });
    store.dispatch({ type: "config-loaded", config: openConfig });
    await vi.waitFor(
      () => {
        const start = [...container.querySelectorAll("button")].find(
          (b) => b.textContent === CATALOGUES.en.startButton,
        );
        expect(start).toBeDefined();
      },
      { timeout: 1_000 },
    );
    // And later transitions still arrive.
    store.dispatch({ type: "quick-exit" });
    await vi.waitFor(() => expect(container.querySelector("button")).toBeNull(), { timeout: 1_000 });
  });
});
