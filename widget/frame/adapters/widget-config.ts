import type { Language } from "../../../shared/protocol/envelopes.ts";
import { API } from "../../../shared/protocol/http/routes.ts";
import type { WidgetConfig } from "../../../shared/protocol/http/widget-config.ts";
import { WIDGET_CONFIG_ELEMENT_ID } from "../../../shared/protocol/http/widget-config-element.ts";
import type { PartnerId } from "../../../shared/protocol/ids.ts";
import { checkWidgetConfig } from "./widget-config-check.ts";

/**
 * Loads the partner's public widget configuration, checked as `WidgetConfigSchema` would
 * (widget-config-check.ts: the same answers, without valibot in the frame's entry). No credentials (the frame has none), no
 * cache entry (`no-store`: nothing on the device says a chat was opened), no referrer.
 */
export async function fetchWidgetConfig(
  partner: PartnerId,
  language: Language,
): Promise<WidgetConfig | null> {
  const query = new URLSearchParams({ partner, language });
  try {
    const response = await fetch(`${API.widgetConfig}?${query}`, {
      credentials: "omit",
      cache: "no-store",
      referrerPolicy: "no-referrer",
    });
    if (!response.ok) return null;
    return checkWidgetConfig(await response.json());
  } catch {
    return null;
  }
}

/**
 * The configuration the server wrote into the frame page (see server/pages/pages-router.ts),
 * checked like a fetched one; taken out of the document once read. Null when absent or invalid
 * (then the frame fetches it).
 */
export function takeEmbeddedConfig(doc: Document): WidgetConfig | null {
  const element = doc.getElementById(WIDGET_CONFIG_ELEMENT_ID);
  if (!element) return null;
  element.remove();
  try {
    return checkWidgetConfig(JSON.parse(element.textContent ?? ""));
  } catch {
    return null;
  }
}

/**
 * The first load uses the configuration that came with the page (for the partner the frame's
 * URL names, the only one `init` may name); any later one (a restart) asks the server again.
 */
export function configLoader(
  embedded: WidgetConfig | null,
  framedFor: PartnerId | null,
  fetchConfig: typeof fetchWidgetConfig = fetchWidgetConfig,
): typeof fetchWidgetConfig {
  let first = embedded;
  return (partner, language) => {
    const config = first;
    first = null;
    return config !== null && partner === framedFor
      ? Promise.resolve(config)
      : fetchConfig(partner, language);
  };
}
