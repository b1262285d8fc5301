import * as v from "valibot";
import { LanguageSchema } from "../envelopes.ts";
import { PartnerIdSchema } from "../ids.ts";
import { textSchema } from "./common.ts";

/**
 * An origin a partner page is served from: scheme, host and optional port, nothing else
 * (it goes verbatim into the frame's `frame-ancestors`, so no spaces, quotes or semicolons).
 */
export const OriginSchema = v.pipe(
  v.string(),
  v.maxLength(200),
  v.regex(/^https?:\/\/[a-z0-9.-]+(:[0-9]{1,5})?$/),
);

/** The neutral page a quick exit replaces the partner page with (weather, news, search). */
export const ExitUrlSchema = v.pipe(
  v.string(),
  v.maxLength(500),
  v.url(),
  v.regex(/^https?:\/\/[^\s"'<>]+$/),
);

export const PartnerSchema = v.strictObject({
  id: PartnerIdSchema,
  name: textSchema(100),
  allowedOrigins: v.pipe(v.array(OriginSchema), v.maxLength(20)),
  exitUrl: ExitUrlSchema,
  defaultLanguage: LanguageSchema,
  enabled: v.boolean(),
});
export type Partner = v.InferOutput<typeof PartnerSchema>;

/** `POST /api/admin/partners` (201 Partner; 409 `partner-exists`). */
export const PartnerCreateSchema = PartnerSchema;
export type PartnerCreate = v.InferInput<typeof PartnerCreateSchema>;

/** `PUT /api/admin/partners/:id` → Partner: every field but the id. */
export const PartnerUpdateSchema = v.omit(PartnerSchema, ["id"]);
export type PartnerUpdate = v.InferInput<typeof PartnerUpdateSchema>;

/** `GET /api/admin/partners`; `DELETE /api/admin/partners/:id` → 204. */
export const PartnerListSchema = v.strictObject({ partners: v.array(PartnerSchema) });
export type PartnerList = v.InferOutput<typeof PartnerListSchema>;

/**
 * `GET /api/admin/embed`: what the console needs to show a partner's snippet. Null fields when
 * the widget has not been built.
 */
export const EmbedInfoSchema = v.strictObject({
  /** Absolute URL of the versioned loader. */
  loaderUrl: v.string(),
  /** `sha384-...` Subresource Integrity of the loader, or null when not built. */
  integrity: v.nullable(v.string()),
});
export type EmbedInfo = v.InferOutput<typeof EmbedInfoSchema>;
