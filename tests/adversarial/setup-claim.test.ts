import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SETUP_CODE_FILE } from "../../server/auth/setup-code.ts";
import { wrongKey } from "../support/adversary.ts";
import { api } from "../support/http-client.ts";
import { startTestServer, type TestServer } from "../support/http-server.ts";
import { b64, ed25519Keys, login, saltOf } from "../support/http-staff.ts";

/**
 * Class: a fresh install that belongs to whoever reaches it first (finding: until setup was
 * done, any visitor became the admin). Setup needs the one-time code the server printed; here an
 * outsider without it tries every near miss, and many holders of the code race each other: one
 * organisation and one admin come out, and the code is spent.
 */
let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function setup(target: TestServer, setupCode: string, username: string, authKey = wrongKey()) {
  return api(target.url, "POST", "/api/setup", {
    body: {
      setupCode,
      orgPublicKey: b64(ed25519Keys().publicKey),
      admin: {
        username,
        displayName: username,
        salt: await saltOf(target.url, username),
        authKey,
        identityPublicKey: b64(ed25519Keys().publicKey),
        wrappedIdentityKey: b64(randomBytes(104)),
        wrappedOrgKey: b64(randomBytes(104)),
      },
    },
  });
}

describe("adversarial: claiming a fresh install", () => {
  it("without the code, nothing close to it is accepted, and the install stays unclaimed", async () => {
    server = await startTestServer();
    const code = server.instance.setupCode ?? "";
    expect(code).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/);
    const other = code.at(-1) === "A" ? "B" : "A";
    const nearMisses = [
      "",
      code.slice(0, -1),
      `${code.slice(0, -1)}${other}`,
      `${code}${other}`,
      code.replace(/-/g, "").slice(1),
      "A".repeat(16),
      "x".repeat(10_000),
    ];
    const answers = await Promise.all(
      nearMisses.map((c, i) => setup(server as TestServer, c, `intruder${i}`)),
    );
    for (const [i, answer] of answers.entries()) {
      expect(answer.json, JSON.stringify(nearMisses[i]?.slice(0, 40))).toEqual(
        answer.status === 400 ? { error: "bad-request" } : { error: "invalid-setup-code" },
      );
      expect((await login(server.url, `intruder${i}`, wrongKey())).status).toBe(401);
    }
    expect((await api(server.url, "GET", "/api/setup")).json).toEqual({ needed: true });
    expect(existsSync(join(server.dir, "data", SETUP_CODE_FILE))).toBe(true);
  });

  it("twenty simultaneous setups with the right code: exactly one admin, and the code is spent", async () => {
    server = await startTestServer();
    const code = server.instance.setupCode ?? "";
    const keys = Array.from({ length: 20 }, () => wrongKey());
    // Typed as read off a terminal: lower case, without dashes, for half of them.
    const answers = await Promise.all(
      keys.map((key, i) =>
        setup(server as TestServer, i % 2 ? code.toLowerCase().replace(/-/g, "") : code, `claimant${i}`, key),
      ),
    );
    const won = answers.flatMap((a, i) => (a.status === 201 ? [i] : []));
    expect(won).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 201)) {
      expect([{ error: "already-set-up" }, { error: "invalid-setup-code" }]).toContainEqual(a.json);
    }
    const winner = won[0] ?? -1;
    const admin = await login(server.url, `claimant${winner}`, keys[winner] ?? "");
    expect(admin.status).toBe(200);
    // Nobody else got an account out of the race.
    const staff = await api(server.url, "GET", "/api/admin/staff", { cookie: admin.cookie ?? "" });
    expect(staff.json.staff.map((m: { username: string }) => m.username)).toEqual([`claimant${winner}`]);
    expect(existsSync(join(server.dir, "data", SETUP_CODE_FILE))).toBe(false);
    expect((await setup(server, code, "late")).json).toEqual({ error: "already-set-up" });
  });
});
