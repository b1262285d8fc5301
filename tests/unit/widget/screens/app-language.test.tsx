import { cleanup, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import type { Actions } from "../../../../widget/frame/actions.ts";
import { App } from "../../../../widget/frame/app.tsx";
import { CATALOGUES } from "../../../../widget/frame/i18n/all.ts";
import { loadCatalogue, loadedCatalogue } from "../../../../widget/frame/i18n/catalogue.ts";
import { reduce } from "../../../../widget/frame/state/reducer.ts";
import { run, toChat } from "../state/fixtures.ts";

const clock = { now: Date.UTC(2026, 10, 30, 10, 0), localOffset: 0 };
const noop = () => undefined;
const actions = new Proxy({}, { get: () => noop }) as Actions;

afterEach(cleanup);

/**
 * Each language's words are a chunk of their own (i18n/catalogue.ts): this file starts with
 * none loaded, as the frame does, and loads only English, as a page in English does.
 */
describe("switching to a language whose words have not arrived yet", () => {
  it("keeps the whole view in the language it has until they are here, then switches", async () => {
    expect(loadedCatalogue("ur")).toBeUndefined();
    await loadCatalogue("en");
    const start = run(toChat.slice(0, 2));
    const view = render(<App state={start} actions={actions} clock={clock} />);
    expect(screen.getByRole("button", { name: CATALOGUES.en.startButton })).toBeTruthy();

    view.rerender(
      <App
        state={reduce(start, { type: "language-chosen", language: "ur", now: 2 })}
        actions={actions}
        clock={clock}
      />,
    );
    // Not broken meanwhile: English words, English direction, the Start button still there.
    expect(screen.getByRole("button", { name: CATALOGUES.en.startButton })).toBeTruthy();
    expect(document.documentElement.dir).toBe("ltr");
    // Then Urdu throughout, right to left.
    await waitFor(() => expect(screen.getByRole("button", { name: CATALOGUES.ur.startButton })).toBeTruthy());
    expect(document.documentElement.lang).toBe("ur");
    expect(document.documentElement.dir).toBe("rtl");
    expect(screen.queryByRole("button", { name: CATALOGUES.en.startButton })).toBeNull();
  });
});
