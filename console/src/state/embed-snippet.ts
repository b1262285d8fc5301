import type { EmbedInfo, Partner } from "../../../shared/protocol/http/index.ts";

/**
 * The one tag a partner pastes into their page. `integrity` pins the loader (Subresource
 * Integrity): a tampered loader on the helpline's server or a CDN would not run on the partner
 * page. Attribute values are escaped, though ids, origins and URLs are already validated.
 */
function attr(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export type Snippet = Readonly<{ html: string; pinned: boolean }>;

export function embedSnippet(
  partner: Pick<Partner, "id" | "defaultLanguage" | "exitUrl">,
  embed: EmbedInfo,
): Snippet {
  const parts = [
    `src="${attr(embed.loaderUrl)}"`,
    ...(embed.integrity ? [`integrity="${attr(embed.integrity)}"`] : []),
    `crossorigin="anonymous"`,
    `data-partner="${attr(partner.id)}"`,
    `data-language="${attr(partner.defaultLanguage)}"`,
    `data-exit-url="${attr(partner.exitUrl)}"`,
    "async",
  ];
  return { html: `<script ${parts.join(" ")}></script>`, pinned: embed.integrity !== null };
}

/** Origins are typed one per line in the admin form. */
export function parseOrigins(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((o) => o.trim().replace(/\/+$/, "").toLowerCase())
    .filter((o) => o !== "");
}
