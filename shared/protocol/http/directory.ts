import * as v from "valibot";
import { LanguageSchema } from "../envelopes.ts";
import { textSchema } from "./common.ts";

/** Server-assigned ids for canned responses and referrals. */
export const ItemIdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.regex(/^[A-Za-z0-9_-]+$/));

// ---- canned responses ----

export const CannedInputSchema = v.strictObject({
  language: LanguageSchema,
  title: textSchema(100),
  body: textSchema(2000),
});
export type CannedInput = v.InferInput<typeof CannedInputSchema>;

export const CannedSchema = v.strictObject({ id: ItemIdSchema, ...CannedInputSchema.entries });
export type Canned = v.InferOutput<typeof CannedSchema>;

/** `GET /api/canned` (any staff); admin: `POST /api/admin/canned` (201 Canned), `PUT|DELETE /api/admin/canned/:id`. */
export const CannedListSchema = v.strictObject({ responses: v.array(CannedSchema) });
export type CannedList = v.InferOutput<typeof CannedListSchema>;

// ---- referral directory ----

export const ReferralInputSchema = v.strictObject({
  language: LanguageSchema,
  /** e.g. "FIA Cyber Crime Wing". */
  name: textSchema(120),
  /** What they do. */
  description: textSchema(1000, 0),
  /** How to reach them (phone, address, website). */
  contact: textSchema(500),
  /** What the survivor should prepare (evidence, ID documents). */
  preparation: textSchema(1000, 0),
  /** Shown to survivors on the widget's closed screen (e.g. emergency numbers). */
  public: v.boolean(),
});
export type ReferralInput = v.InferInput<typeof ReferralInputSchema>;

export const ReferralSchema = v.strictObject({ id: ItemIdSchema, ...ReferralInputSchema.entries });
export type Referral = v.InferOutput<typeof ReferralSchema>;

/** `GET /api/referrals` (any staff); admin: `POST /api/admin/referrals`, `PUT|DELETE /api/admin/referrals/:id`. */
export const ReferralListSchema = v.strictObject({ referrals: v.array(ReferralSchema) });
export type ReferralList = v.InferOutput<typeof ReferralListSchema>;

// ---- settings ----

/** `GET|PUT /api/admin/settings`. */
export const SettingsSchema = v.strictObject({
  /** Default simultaneous chats per counselor. */
  chatLimit: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10)),
});
export type Settings = v.InferOutput<typeof SettingsSchema>;
