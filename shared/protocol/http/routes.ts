/**
 * Paths of the HTTP API, one source for the server and both clients. Mutating staff requests
 * (POST, PUT, PATCH, DELETE with a session) need the `X-CSRF-Token` header from the session
 * info and are sent by the browser with the helpline's `Origin`.
 */
export const API = {
  setup: "/api/setup",
  salt: "/api/auth/salt",
  login: "/api/auth/login",
  logout: "/api/auth/logout",
  me: "/api/auth/me",
  password: "/api/auth/password",
  orgKeyCopy: "/api/auth/org-key",
  enroll: "/api/enroll",
  directory: "/api/staff/directory",
  canned: "/api/canned",
  referrals: "/api/referrals",
  wrapups: "/api/wrapups",
  evidenceSaves: "/api/evidence-saves",
  revocations: "/api/revocations",
  widgetConfig: "/api/widget/config",
  adminStaff: "/api/admin/staff",
  adminStaffMember: (id: string) => `/api/admin/staff/${encodeURIComponent(id)}`,
  adminStaffInvite: (id: string) => `/api/admin/staff/${encodeURIComponent(id)}/invite`,
  adminStaffCertificate: (id: string) => `/api/admin/staff/${encodeURIComponent(id)}/certificate`,
  adminStaffOrgKey: (id: string) => `/api/admin/staff/${encodeURIComponent(id)}/org-key`,
  adminRevocations: "/api/admin/revocations",
  adminPartners: "/api/admin/partners",
  adminPartner: (id: string) => `/api/admin/partners/${encodeURIComponent(id)}`,
  adminEmbed: "/api/admin/embed",
  adminHours: "/api/admin/hours",
  adminCanned: "/api/admin/canned",
  adminCannedItem: (id: string) => `/api/admin/canned/${encodeURIComponent(id)}`,
  adminReferrals: "/api/admin/referrals",
  adminReferral: (id: string) => `/api/admin/referrals/${encodeURIComponent(id)}`,
  adminSettings: "/api/admin/settings",
  adminStats: "/api/admin/stats",
  adminStatsCsv: "/api/admin/stats.csv",
  adminAudit: "/api/admin/audit",
} as const;

/** Largest JSON body the server reads on most routes. */
export const MAX_JSON_BODY_BYTES = 64 * 1024;
/** `POST /api/admin/revocations` only: a full revocation list in base64url, with room. */
export const MAX_REVOCATIONS_BODY_BYTES = 512 * 1024;
