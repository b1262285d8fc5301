import * as v from "valibot";
import { LanguageSchema } from "../envelopes.ts";
import { textSchema } from "./common.ts";

/** Server-assigned ids for canned responses and referrals. */
export const ItemIdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.regex(/^[A-Za-z0-9_-]+$/));

// ---- canned responses ----

export const TagSchema = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(32));

/** Body of `POST /api/admin/canned` (201 Canned) and `PUT /api/admin/canned/:id` (→ Canned). */
export const CannedInputSchema = v.strictObject({
  language: LanguageSchema,
  title: textSchema(100),
  body: textSchema(2000),
  tags: v.pipe(v.array(TagSchema), v.maxLength(10)),
});
export type CannedInput = v.InferInput<typeof CannedInputSchema>;

export const CannedSchema = v.strictObject({ id: ItemIdSchema, ...CannedInputSchema.entries });
export type Canned = v.InferOutput<typeof CannedSchema>;

/** `GET /api/canned?language=en` (any staff; language optional); `DELETE /api/admin/canned/:id` → 204. */
export const CannedListSchema = v.strictObject({ responses: v.array(CannedSchema) });
export type CannedList = v.InferOutput<typeof CannedListSchema>;

// ---- referral directory ----

export const REFERRAL_CATEGORIES = [
  "law-enforcement",
  "legal-aid",
  "psychological",
  "digital-security",
  "other",
] as const;
export const ReferralCategorySchema = v.picklist(REFERRAL_CATEGORIES);
export type ReferralCategory = v.InferOutput<typeof ReferralCategorySchema>;

/** Body of `POST /api/admin/referrals` (201 Referral) and `PUT /api/admin/referrals/:id` (→ Referral). */
export const ReferralInputSchema = v.strictObject({
  language: LanguageSchema,
  /** e.g. "FIA Cyber Crime Wing". */
  name: textSchema(120),
  category: ReferralCategorySchema,
  /** What they do. */
  description: textSchema(1000, 0),
  /** How to reach them (phone, address, website). */
  contact: textSchema(500),
  /** What the survivor should prepare (evidence, ID documents). */
  howToPrepare: textSchema(1000, 0),
});
export type ReferralInput = v.InferInput<typeof ReferralInputSchema>;

export const ReferralSchema = v.strictObject({
  id: ItemIdSchema,
  ...ReferralInputSchema.entries,
  /** True for seeded entries until an admin has checked the numbers (any update clears it). */
  needsVerification: v.boolean(),
});
export type Referral = v.InferOutput<typeof ReferralSchema>;

/** `GET /api/referrals?language=en` (any staff); `DELETE /api/admin/referrals/:id` → 204. */
export const ReferralListSchema = v.strictObject({ referrals: v.array(ReferralSchema) });
export type ReferralList = v.InferOutput<typeof ReferralListSchema>;

// ---- settings ----

/** `GET|PUT /api/admin/settings`. */
export const SettingsSchema = v.strictObject({
  /** Default simultaneous chats per counselor. */
  chatLimit: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10)),
});
export type Settings = v.InferOutput<typeof SettingsSchema>;
