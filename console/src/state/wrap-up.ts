import type {
  CALLER_TYPES,
  DURATION_BUCKETS,
  GENDERS,
  HARASSMENT_TYPES,
  OUTCOMES,
  PLATFORMS,
  REFERRAL_CATEGORIES,
  REGIONS,
  WrapupRequest,
} from "../../../shared/protocol/http/index.ts";
import type { Language, PartnerId } from "../../../shared/protocol/index.ts";
import type { Chat } from "./chats.ts";

/**
 * The wrap-up form after a chat ends. It feeds anonymous statistics only: fixed categories, no
 * free text, no session id, the duration only as a coarse bucket.
 */
export type Platform = (typeof PLATFORMS)[number];
export type HarassmentType = (typeof HARASSMENT_TYPES)[number];
export type CallerType = (typeof CALLER_TYPES)[number];
export type Region = (typeof REGIONS)[number];
export type Gender = (typeof GENDERS)[number];
export type ReferralKind = (typeof REFERRAL_CATEGORIES)[number];
export type DurationBucket = (typeof DURATION_BUCKETS)[number];
export type Outcome = (typeof OUTCOMES)[number];

export type WrapUpForm = Readonly<{
  partner: PartnerId;
  language: Language;
  duration: DurationBucket;
  platform: Platform | null;
  harassmentTypes: readonly HarassmentType[];
  callerType: CallerType | null;
  region: Region | null;
  gender: Gender | null;
  referrals: readonly ReferralKind[];
  outcomes: readonly Outcome[];
  followUp: boolean;
  difficult: boolean;
}>;

export function durationBucket(ms: number): DurationBucket {
  const minutes = ms / 60_000;
  if (minutes < 10) return "<10m";
  if (minutes < 30) return "10-30m";
  if (minutes < 60) return "30-60m";
  return ">60m";
}

/** A fresh form for an ended chat; "for myself" (if the survivor said so) preselects the caller. */
export function newWrapUp(chat: Chat, endedAt: number): WrapUpForm {
  return {
    partner: chat.partner,
    language: chat.language,
    duration: durationBucket(endedAt - chat.assignedAt),
    platform: null,
    harassmentTypes: [],
    callerType: chat.forWhom === "self" ? "self" : null,
    region: null,
    gender: null,
    referrals: [],
    outcomes: [],
    followUp: false,
    difficult: false,
  };
}

export type WrapUpAction =
  | Readonly<{ type: "platform"; value: Platform }>
  | Readonly<{ type: "toggle-harassment"; value: HarassmentType }>
  | Readonly<{ type: "toggle-outcome"; value: Outcome }>
  | Readonly<{ type: "follow-up"; value: boolean }>
  | Readonly<{ type: "toggle-referral"; value: ReferralKind }>
  | Readonly<{ type: "caller"; value: CallerType }>
  | Readonly<{ type: "region"; value: Region | null }>
  | Readonly<{ type: "gender"; value: Gender | null }>
  | Readonly<{ type: "difficult"; value: boolean }>;

function toggle<T>(list: readonly T[], value: T): readonly T[] {
  return list.includes(value) ? list.filter((x) => x !== value) : [...list, value];
}

export function wrapUpReducer(form: WrapUpForm, action: WrapUpAction): WrapUpForm {
  switch (action.type) {
    case "platform":
      return { ...form, platform: action.value };
    case "toggle-harassment":
      return { ...form, harassmentTypes: toggle(form.harassmentTypes, action.value) };
    case "toggle-outcome":
      return { ...form, outcomes: toggle(form.outcomes, action.value) };
    case "follow-up":
      return { ...form, followUp: action.value };
    case "toggle-referral":
      return { ...form, referrals: toggle(form.referrals, action.value) };
    case "caller":
      return { ...form, callerType: action.value };
    case "region":
      return { ...form, region: action.value };
    case "gender":
      return { ...form, gender: action.value };
    case "difficult":
      return { ...form, difficult: action.value };
    default: {
      const never: never = action;
      return never;
    }
  }
}

export type RequiredField = "platform" | "harassmentTypes" | "callerType";

/** The form's fields; the chat's one-time `token` is added when it is sent. */
export type WrapUpFields = Omit<WrapupRequest, "token">;

export type WrapUpResult =
  | Readonly<{ ok: true; request: WrapUpFields }>
  | Readonly<{ ok: false; missing: readonly RequiredField[] }>;

/** Platform, at least one type and who contacted are required ("other" exists for each). */
export function wrapUpRequest(form: WrapUpForm): WrapUpResult {
  const { platform, harassmentTypes, callerType } = form;
  if (platform === null || harassmentTypes.length === 0 || callerType === null) {
    const missing: RequiredField[] = [];
    if (platform === null) missing.push("platform");
    if (harassmentTypes.length === 0) missing.push("harassmentTypes");
    if (callerType === null) missing.push("callerType");
    return { ok: false, missing };
  }
  return {
    ok: true,
    request: {
      partner: form.partner,
      language: form.language,
      platform,
      harassmentTypes: [...harassmentTypes],
      callerType,
      region: form.region,
      gender: form.gender,
      referrals: [...form.referrals],
      outcomes: [...form.outcomes],
      followUp: form.followUp,
      difficult: form.difficult,
      duration: form.duration,
    },
  };
}
