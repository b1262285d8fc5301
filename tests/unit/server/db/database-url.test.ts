import { describe, expect, it } from "vitest";
import { parseDatabaseUrl } from "../../../../server/db/database-url.ts";

describe("DATABASE_URL", () => {
  it("defaults to SQLite under ./data", () => {
    expect(parseDatabaseUrl(undefined)).toEqual({
      ok: true,
      value: { type: "sqlite", path: "./data/sahara.db" },
    });
    expect(parseDatabaseUrl("  ")).toEqual({ ok: true, value: { type: "sqlite", path: "./data/sahara.db" } });
    expect(parseDatabaseUrl(undefined, "/tmp/x.db")).toEqual({
      ok: true,
      value: { type: "sqlite", path: "/tmp/x.db" },
    });
  });

  it("accepts sqlite: paths, in-memory and PostgreSQL URLs", () => {
    expect(parseDatabaseUrl("sqlite:/var/lib/sahara/db.sqlite")).toEqual({
      ok: true,
      value: { type: "sqlite", path: "/var/lib/sahara/db.sqlite" },
    });
    expect(parseDatabaseUrl("sqlite:./data/x.db")).toEqual({
      ok: true,
      value: { type: "sqlite", path: "./data/x.db" },
    });
    expect(parseDatabaseUrl("sqlite::memory:")).toEqual({ ok: true, value: { type: "sqlite-memory" } });
    for (const url of ["postgres://u@h:5432/db", "postgresql://u:p@h/db?sslmode=require"]) {
      expect(parseDatabaseUrl(url)).toEqual({ ok: true, value: { type: "postgres", connectionString: url } });
    }
  });

  it("refuses anything else", () => {
    for (const url of ["mysql://h/db", "sqlite:", "file:x.db", "http://h", "./data/x.db"]) {
      expect(parseDatabaseUrl(url)).toEqual({ ok: false, error: "unsupported-database-url" });
    }
  });
});
