import type { Kysely } from "kysely";
import { createAuditRepo } from "./audit-repo.ts";
import { createCannedRepo } from "./canned-repo.ts";
import { createOrgRepo } from "./org-repo.ts";
import { createPartnerRepo } from "./partner-repo.ts";
import { createReferralRepo } from "./referral-repo.ts";
import type { Repositories } from "./repositories.ts";
import { createRevocationRepo } from "./revocation-repo.ts";
import type { Database } from "./schema.ts";
import { createServiceRepo } from "./service-repo.ts";
import { createSettingsRepo } from "./settings-repo.ts";
import { createStaffRepo } from "./staff-repo.ts";
import { createStatsRepo } from "./stats-repo.ts";

export function createRepositories(db: Kysely<Database>): Repositories {
  return {
    staff: createStaffRepo(db),
    org: createOrgRepo(db),
    revocations: createRevocationRepo(db),
    partners: createPartnerRepo(db),
    settings: createSettingsRepo(db),
    canned: createCannedRepo(db),
    referrals: createReferralRepo(db),
    stats: createStatsRepo(db),
    service: createServiceRepo(db),
    audit: createAuditRepo(db),
  };
}

export { AUDIT_ACTIONS, type AuditAction, type AuditEntry, type NewAuditEntry } from "./audit-types.ts";
export {
  DATABASE_URL_HELP,
  type DatabaseTarget,
  DEFAULT_SQLITE_PATH,
  parseDatabaseUrl,
} from "./database-url.ts";
export {
  DatabaseConfigError,
  type Dialect,
  type OpenedDatabase,
  type OpenOptions,
  openDatabase,
} from "./open.ts";
export * from "./records.ts";
export type * from "./repositories.ts";
export type { Database } from "./schema.ts";
export { DEMO_PARTNER, demoOrigins } from "./seed.ts";
export { DEFAULT_SETTINGS } from "./settings-repo.ts";
export { foldUsername } from "./staff-repo.ts";
export { COMPLEMENTARY, SMALL, SUPPRESSION_THRESHOLD } from "../../shared/stats/suppression.ts";
export * from "./stats-types.ts";
export { applyRetention, DEFAULT_RETENTION, type RetentionPolicy } from "./retention.ts";
