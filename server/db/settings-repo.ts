import type { Kysely } from "kysely";
import * as v from "valibot";
import { DEFAULT_CHAT_LIMIT } from "../../shared/protocol/index.ts";
import { err, ok } from "../../shared/result.ts";
import {
  DEFAULT_SCHEDULE,
  DEFAULT_TIME_ZONE,
  type Holiday,
  TimeZoneSchema,
  WeeklyScheduleSchema,
} from "../hours/schedule.ts";
import type { Settings } from "./records.ts";
import type { SettingsRepo } from "./repositories.ts";
import { flushDeleted } from "./flush-deleted.ts";
import type { Database } from "./schema.ts";

export const DEFAULT_SETTINGS: Settings = {
  timeZone: DEFAULT_TIME_ZONE,
  defaultChatLimit: DEFAULT_CHAT_LIMIT,
  schedule: DEFAULT_SCHEDULE,
};

/** Setting keys as stored (values are JSON text). */
const KEYS = { timeZone: "time_zone", defaultChatLimit: "default_chat_limit", schedule: "schedule" } as const;

const ChatLimitSchema = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(20));

/** A stored value that no longer parses (hand-edited, older format) falls back to the default. */
function read<T>(schema: v.GenericSchema<unknown, T>, json: string | undefined, fallback: T): T {
  if (json === undefined) return fallback;
  try {
    const parsed = v.safeParse(schema, JSON.parse(json));
    return parsed.success ? parsed.output : fallback;
  } catch {
    return fallback;
  }
}

export function createSettingsRepo(db: Kysely<Database>): SettingsRepo {
  const get = async (): Promise<Settings> => {
    const rows = await db.selectFrom("settings").selectAll().execute();
    const stored = new Map(rows.map((r) => [r.key, r.value]));
    return {
      timeZone: read(TimeZoneSchema, stored.get(KEYS.timeZone), DEFAULT_SETTINGS.timeZone),
      defaultChatLimit: read(
        ChatLimitSchema,
        stored.get(KEYS.defaultChatLimit),
        DEFAULT_SETTINGS.defaultChatLimit,
      ),
      schedule: read(WeeklyScheduleSchema, stored.get(KEYS.schedule), DEFAULT_SETTINGS.schedule),
    };
  };

  const put = async (key: string, value: unknown): Promise<void> => {
    const json = JSON.stringify(value);
    await db
      .insertInto("settings")
      .values({ key, value: json })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value: json }))
      .execute();
  };

  const listHolidays = async (): Promise<readonly Holiday[]> =>
    db.selectFrom("holidays").select(["date", "label"]).orderBy("date").execute();

  return {
    get,

    async update(patch) {
      if (patch.timeZone !== undefined) await put(KEYS.timeZone, patch.timeZone);
      if (patch.defaultChatLimit !== undefined) await put(KEYS.defaultChatLimit, patch.defaultChatLimit);
      if (patch.schedule !== undefined) await put(KEYS.schedule, patch.schedule);
      return get();
    },

    listHolidays,

    async putHoliday(holiday) {
      await db
        .insertInto("holidays")
        .values({ date: holiday.date, label: holiday.label })
        .onConflict((oc) => oc.column("date").doUpdateSet({ label: holiday.label }))
        .execute();
    },

    async removeHoliday(date) {
      const result = await db.deleteFrom("holidays").where("date", "=", date).executeTakeFirst();
      if (result.numDeletedRows === 0n) return err("not-found");
      await flushDeleted(db);
      return ok(undefined);
    },

    async openingHours() {
      const [settings, holidays] = await Promise.all([get(), listHolidays()]);
      return { schedule: settings.schedule, holidays, timeZone: settings.timeZone };
    },
  };
}
