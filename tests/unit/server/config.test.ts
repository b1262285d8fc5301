import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../server/config.ts";

const problems = (env: Record<string, string>) => {
  const result = loadConfig(env);
  return result.ok ? [] : result.problems;
};

describe("loadConfig", () => {
  it("has safe defaults for a laptop", () => {
    const result = loadConfig({});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({
      port: 8080,
      host: "127.0.0.1",
      databaseUrl: "sqlite:./data/sahara.db",
      publicOrigin: "http://localhost:8080",
      demoPort: 8081,
      trustProxy: false,
      trustProxySet: false,
      metricsListen: null,
      secureCookies: false,
      logLevel: "info",
      secret: null,
      dataDir: "./data",
      distDir: "./dist",
    });
  });

  it("names the variable, the rule and the value for bad input", () => {
    expect(problems({ PORT: "abc" })).toEqual(['PORT must be an integer 1-65535, got "abc"']);
    expect(problems({ PORT: "0" })).toEqual(['PORT must be an integer 1-65535, got "0"']);
    expect(problems({ PORT: "70000" })).toEqual(['PORT must be an integer 1-65535, got "70000"']);
    expect(problems({ DEMO_PORT: "-1" })).toEqual(['DEMO_PORT must be an integer 0-65535, got "-1"']);
    expect(problems({ PUBLIC_ORIGIN: "help.example.org" })[0]).toMatch(
      /^PUBLIC_ORIGIN must be an http\(s\) origin/,
    );
    expect(problems({ PUBLIC_ORIGIN: "https://help.example.org/path" })[0]).toMatch(/^PUBLIC_ORIGIN/);
    expect(problems({ SECURE_COOKIES: "maybe" })).toEqual([
      'SECURE_COOKIES must be true or false, got "maybe"',
    ]);
    expect(problems({ TRUST_PROXY: "lots" })[0]).toMatch(/^TRUST_PROXY must be true, false or a number/);
    expect(problems({ LOG_LEVEL: "loud" })[0]).toMatch(/^LOG_LEVEL must be one of fatal, error/);
    expect(problems({ DATABASE_URL: "mysql://x" })[0]).toMatch(/^DATABASE_URL must be/);
  });

  it("refuses an https origin (a TLS proxy in front) unless TRUST_PROXY says how to treat it", () => {
    expect(problems({ PUBLIC_ORIGIN: "https://help.example.org" })[0]).toMatch(
      /^PUBLIC_ORIGIN is https.*TRUST_PROXY is unset/,
    );
    for (const value of ["1", "false", "true"]) {
      expect(problems({ PUBLIC_ORIGIN: "https://help.example.org", TRUST_PROXY: value })).toEqual([]);
    }
  });

  it("serves /metrics on its own port and address when asked", () => {
    const result = loadConfig({ METRICS_PORT: "9464" });
    expect(result.ok && result.value.metricsListen).toEqual({ host: "127.0.0.1", port: 9464 });
    const other = loadConfig({ METRICS_PORT: "9464", METRICS_HOST: "10.0.0.5" });
    expect(other.ok && other.value.metricsListen).toEqual({ host: "10.0.0.5", port: 9464 });
    expect(problems({ METRICS_PORT: "x" })[0]).toMatch(/^METRICS_PORT must be an integer/);
  });

  it("lists every problem at once", () => {
    expect(problems({ PORT: "x", DEMO_PORT: "y", LOG_LEVEL: "z" })).toHaveLength(3);
  });

  it("takes a redis:// REDIS_URL and refuses anything else without echoing it", () => {
    expect(problems({ REDIS_URL: "redis://127.0.0.1:6379" })).toEqual([]);
    expect(problems({ REDIS_URL: "rediss://:pw@cache.internal:6380/2" })).toEqual([]);
    const bad = problems({ REDIS_URL: "http://user:hunter2@cache" });
    expect(bad[0]).toMatch(/^REDIS_URL must be redis:\/\//);
    expect(bad.join()).not.toContain("hunter2");
    expect(problems({ REDIS_PREFIX: "a b" })[0]).toMatch(/^REDIS_PREFIX must be/);
  });

  it("never echoes a secret or a database URL with a password", () => {
    const secretProblem = problems({ SAHARA_SECRET: "short-secret" });
    expect(secretProblem[0]).toMatch(/^SAHARA_SECRET must be at least 32 random bytes/);
    expect(secretProblem.join()).not.toContain("short-secret");
    expect(problems({ DATABASE_URL: "mysql://user:hunter2@db" }).join()).not.toContain("hunter2");
  });

  it("accepts a hex or base64url secret of 32 bytes or more", () => {
    const hex = loadConfig({ SAHARA_SECRET: "ab".repeat(32) });
    expect(hex.ok && hex.value.secret).toEqual(new Uint8Array(32).fill(0xab));
    const b64 = loadConfig({ SAHARA_SECRET: Buffer.alloc(40, 7).toString("base64url") });
    expect(b64.ok && b64.value.secret).toEqual(new Uint8Array(40).fill(7));
  });

  it("turns on Secure cookies for an https origin unless told otherwise", () => {
    const https = loadConfig({ PUBLIC_ORIGIN: "https://help.example.org", TRUST_PROXY: "1" });
    expect(https.ok && https.value.secureCookies).toBe(true);
    expect(https.ok && https.value.publicOrigin).toBe("https://help.example.org");
    const off = loadConfig({
      PUBLIC_ORIGIN: "https://help.example.org",
      TRUST_PROXY: "1",
      SECURE_COOKIES: "false",
    });
    expect(off.ok && off.value.secureCookies).toBe(false);
  });

  it("parses proxies, ports, PostgreSQL URLs and the data directory", () => {
    const result = loadConfig({
      PORT: "9000",
      DEMO_PORT: "0",
      TRUST_PROXY: "1",
      DATABASE_URL: "postgres://sahara@127.0.0.1:5432/sahara",
      SAHARA_DATA_DIR: "/var/lib/sahara",
      HOST: "0.0.0.0",
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({
      port: 9000,
      demoPort: 0,
      trustProxy: 1,
      host: "0.0.0.0",
      databaseUrl: "postgres://sahara@127.0.0.1:5432/sahara",
      dataDir: "/var/lib/sahara",
    });
    expect(
      loadConfig({ SAHARA_DATA_DIR: "/srv/x" }).ok && loadConfig({ SAHARA_DATA_DIR: "/srv/x" }),
    ).toMatchObject({
      value: { databaseUrl: "sqlite:/srv/x/sahara.db" },
    });
  });
});
