import type { Kysely } from "kysely";
import { DEFAULT_SCHEDULE, DEFAULT_TIME_ZONE } from "../hours/schedule.ts";
import { randomId } from "./random-id.ts";
import type { Database } from "./schema.ts";
import { SEED_CANNED, SEED_REFERRALS } from "./seed-content.ts";

/** Marks the seed as done, so a partner or referral an admin deleted does not come back. */
const SEEDED_KEY = "seeded";

export const DEMO_PARTNER = {
  id: "demo",
  name: "Demo partner",
  allowedOrigins: ["http://localhost:8081", "http://127.0.0.1:8081"],
  exitUrl: "http://localhost:8081/weather.html",
  defaultLanguage: "en",
} as const;

/**
 * The demo partner page's origins: PUBLIC_ORIGIN's host on DEMO_PORT (and the other loopback
 * name, since a browser on the same machine may use either). With another DEMO_PORT than 8081
 * the seeded partner used to refuse the demo page's frame, with the reason only in DevTools.
 */
export function demoOrigins(publicOrigin: string, demoPort: number): readonly string[] {
  if (demoPort === 0) return DEMO_PARTNER.allowedOrigins;
  const url = new URL(publicOrigin);
  url.port = String(demoPort);
  const twin = { localhost: "127.0.0.1", "127.0.0.1": "localhost" }[url.hostname];
  const origins = [url.origin];
  if (twin) {
    url.hostname = twin;
    origins.push(url.origin);
  }
  return origins;
}

/** Seeds a fresh install once (idempotent; safe when two processes start together). */
export async function seedIfEmpty(
  db: Kysely<Database>,
  now: number,
  demo: readonly string[] = DEMO_PARTNER.allowedOrigins,
): Promise<boolean> {
  return db.transaction().execute((trx) => seedWithin(trx, now, demo));
}

/**
 * The seed, for a caller that already holds a transaction (SQLite's BEGIN IMMEDIATE at start).
 * `demo`: the demo partner's allowed origins (see `demoOrigins`); its exit page is on the first.
 */
export async function seedWithin(
  trx: Kysely<Database>,
  now: number,
  demo: readonly string[] = DEMO_PARTNER.allowedOrigins,
): Promise<boolean> {
  // Claiming the marker first means a concurrent seeder hits the primary key and rolls back.
  const claimed = await trx
    .insertInto("settings")
    .values({ key: SEEDED_KEY, value: JSON.stringify(now) })
    .onConflict((oc) => oc.column("key").doNothing())
    .executeTakeFirst();
  if (claimed.numInsertedOrUpdatedRows === 0n) return false;

  await trx
    .insertInto("partners")
    .values({
      id: DEMO_PARTNER.id,
      name: DEMO_PARTNER.name,
      allowed_origins: JSON.stringify(demo),
      exit_url: demo[0] ? `${demo[0]}/weather.html` : DEMO_PARTNER.exitUrl,
      default_language: DEMO_PARTNER.defaultLanguage,
      enabled: 1,
      created_at: now,
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
  for (const [key, value] of [
    ["time_zone", DEFAULT_TIME_ZONE],
    ["schedule", DEFAULT_SCHEDULE],
  ] as const) {
    await trx
      .insertInto("settings")
      .values({ key, value: JSON.stringify(value) })
      .onConflict((oc) => oc.column("key").doNothing())
      .execute();
  }
  for (const c of SEED_CANNED) {
    await trx
      .insertInto("canned_responses")
      .values({
        id: randomId(),
        language: c.language,
        title: c.title,
        body: c.body,
        tags: JSON.stringify(c.tags),
        created_at: now,
      })
      .execute();
  }
  for (const r of SEED_REFERRALS) {
    await trx
      .insertInto("referrals")
      .values({
        id: randomId(),
        name: r.name,
        category: r.category,
        description: r.description,
        contact: r.contact,
        how_to_prepare: r.howToPrepare,
        language: r.language,
        needs_verification: 1,
        created_at: now,
      })
      .execute();
  }
  return true;
}
