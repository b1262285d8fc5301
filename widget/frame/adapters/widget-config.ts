import type { Language } from "../../../shared/protocol/envelopes.ts";
import { API } from "../../../shared/protocol/http/routes.ts";
import { type WidgetConfig, WidgetConfigSchema } from "../../../shared/protocol/http/widget-config.ts";
import type { PartnerId } from "../../../shared/protocol/ids.ts";
import { parse } from "../../../shared/protocol/parse.ts";

/**
 * Loads the partner's public widget configuration. No credentials (the frame has none), no
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
    const parsed = parse(WidgetConfigSchema, await response.json());
    return parsed.ok ? parsed.value : null;
  } catch {
    return null;
  }
}
