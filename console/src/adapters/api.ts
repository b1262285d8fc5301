import {
  API,
  type CannedInput,
  CannedListSchema,
  CannedSchema,
  type CertifyRequest,
  DirectorySchema,
  EmbedInfoSchema,
  type EnrollRequest,
  EnrollResponseSchema,
  type Hours,
  HoursSchema,
  type InviteRequest,
  InviteResponseSchema,
  type LoginRequest,
  type OrgKeyCopyRequest,
  type OrgKeyShareRequest,
  type PartnerCreate,
  type PasswordChangeRequest,
  PartnerListSchema,
  PartnerSchema,
  type PartnerUpdate,
  type ReferralInput,
  ReferralListSchema,
  ReferralSchema,
  RevocationsResponseSchema,
  SaltResponseSchema,
  SessionInfoSchema,
  type Settings,
  SettingsSchema,
  type SetupRequest,
  SetupStatusSchema,
  type StaffUpdate,
  StaffListSchema,
  StaffSummarySchema,
  StatsResponseSchema,
  type WrapupRequest,
} from "../../../shared/protocol/http/index.ts";
import type { HttpClient } from "./http-client.ts";

/** Typed calls for every endpoint the console uses (paths and schemas from shared/protocol/http). */
export function createApi(http: HttpClient) {
  const r = http.request;
  return {
    setCsrfToken: http.setCsrfToken,
    setupStatus: () => r("GET", API.setup, SetupStatusSchema),
    /** Answers with a logged-in session for the new admin. */
    setup: (body: SetupRequest) => r("POST", API.setup, SessionInfoSchema, body),
    salt: (username: string) => r("POST", API.salt, SaltResponseSchema, { username }),
    login: (body: LoginRequest) => r("POST", API.login, SessionInfoSchema, body),
    me: () => r("GET", API.me, SessionInfoSchema),
    logout: () => r("POST", API.logout, null),
    changePassword: (body: PasswordChangeRequest) => r("POST", API.password, SessionInfoSchema, body),
    adoptOrgKey: (body: OrgKeyCopyRequest) => r("PUT", API.orgKeyCopy, SessionInfoSchema, body),
    enroll: (body: EnrollRequest) => r("POST", API.enroll, EnrollResponseSchema, body),
    directory: () => r("GET", API.directory, DirectorySchema),
    canned: () => r("GET", API.canned, CannedListSchema),
    referrals: () => r("GET", API.referrals, ReferralListSchema),
    wrapUp: (body: WrapupRequest) => r("POST", API.wrapups, null, body),
    /** Before "Save as evidence" downloads: the audit log records who saved, and when (no body). */
    evidenceSaved: () => r("POST", API.evidenceSaves, null, {}),
    revocations: () => r("GET", API.revocations, RevocationsResponseSchema),
    staff: () => r("GET", API.adminStaff, StaffListSchema),
    invite: (body: InviteRequest) => r("POST", API.adminStaff, InviteResponseSchema, body),
    renewInvite: (id: string) => r("POST", API.adminStaffInvite(id), InviteResponseSchema),
    updateStaff: (id: string, body: StaffUpdate) =>
      r("PATCH", API.adminStaffMember(id), StaffSummarySchema, body),
    certify: (id: string, body: CertifyRequest) =>
      r("POST", API.adminStaffCertificate(id), StaffSummarySchema, body),
    shareOrgKey: (id: string, body: OrgKeyShareRequest) => r("POST", API.adminStaffOrgKey(id), null, body),
    publishRevocations: (list: string) => r("POST", API.adminRevocations, null, { list }),
    partners: () => r("GET", API.adminPartners, PartnerListSchema),
    createPartner: (body: PartnerCreate) => r("POST", API.adminPartners, PartnerSchema, body),
    updatePartner: (id: string, body: PartnerUpdate) => r("PUT", API.adminPartner(id), PartnerSchema, body),
    deletePartner: (id: string) => r("DELETE", API.adminPartner(id), null),
    embed: () => r("GET", API.adminEmbed, EmbedInfoSchema),
    hours: () => r("GET", API.adminHours, HoursSchema),
    saveHours: (body: Hours) => r("PUT", API.adminHours, HoursSchema, body),
    adminCanned: () => r("GET", API.canned, CannedListSchema),
    createCanned: (body: CannedInput) => r("POST", API.adminCanned, CannedSchema, body),
    updateCanned: (id: string, body: CannedInput) => r("PUT", API.adminCannedItem(id), CannedSchema, body),
    deleteCanned: (id: string) => r("DELETE", API.adminCannedItem(id), null),
    createReferral: (body: ReferralInput) => r("POST", API.adminReferrals, ReferralSchema, body),
    updateReferral: (id: string, body: ReferralInput) =>
      r("PUT", API.adminReferral(id), ReferralSchema, body),
    deleteReferral: (id: string) => r("DELETE", API.adminReferral(id), null),
    settings: () => r("GET", API.adminSettings, SettingsSchema),
    saveSettings: (body: Settings) => r("PUT", API.adminSettings, SettingsSchema, body),
    stats: (from: string, to: string) =>
      r("GET", `${API.adminStats}?${new URLSearchParams({ from, to })}`, StatsResponseSchema),
  };
}

export type Api = ReturnType<typeof createApi>;

/** The CSV export is a plain link (the browser downloads it with the session cookie). */
export function statsCsvHref(from: string, to: string): string {
  return `${API.adminStatsCsv}?${new URLSearchParams({ from, to })}`;
}
