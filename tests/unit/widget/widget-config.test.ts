import { afterEach, describe, expect, it, vi } from "vitest";
import { WIDGET_CONFIG_ELEMENT_ID } from "../../../shared/protocol/http/widget-config.ts";
import { configLoader, takeEmbeddedConfig } from "../../../widget/frame/adapters/widget-config.ts";
import { openConfig, partner } from "./state/fixtures.ts";

/** The configuration that comes with the frame page: read once, checked, then fetched as before. */
function embed(text: string) {
  const element = document.createElement("script");
  element.type = "application/json";
  element.id = WIDGET_CONFIG_ELEMENT_ID;
  element.textContent = text;
  document.head.append(element);
}

afterEach(() => {
  document.getElementById(WIDGET_CONFIG_ELEMENT_ID)?.remove();
});

describe("embedded widget configuration", () => {
  it("is read once from the page, checked, and taken out of the document", () => {
    embed(JSON.stringify(openConfig));
    expect(takeEmbeddedConfig(document)).toEqual(openConfig);
    expect(document.getElementById(WIDGET_CONFIG_ELEMENT_ID)).toBeNull();
    expect(takeEmbeddedConfig(document)).toBeNull();
  });

  it("is ignored when it does not match the schema or is not JSON", () => {
    embed(JSON.stringify({ ...openConfig, exitUrl: "javascript:alert(1)" }));
    expect(takeEmbeddedConfig(document)).toBeNull();
    embed("{not json");
    expect(takeEmbeddedConfig(document)).toBeNull();
  });

  it("answers the first load for the framed partner, and fetches every later one", async () => {
    const fetchConfig = vi.fn(async () => ({ ...openConfig, open: false }));
    const load = configLoader(openConfig, partner, fetchConfig);
    expect(await load(partner, "en")).toEqual(openConfig);
    expect(fetchConfig).not.toHaveBeenCalled();
    expect((await load(partner, "en"))?.open).toBe(false);
    expect(fetchConfig).toHaveBeenCalledTimes(1);
  });
});
