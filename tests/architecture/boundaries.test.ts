import { describe, expect, it } from "vitest";
import { importsOf, resolveSpecifier, sourceFiles } from "../support/imports.ts";

// Boundaries from STYLE.md, checked on every run:
// - shared/ is pure (no Node, DOM-bound or transport libraries) and imports no other folder;
// - server/ never imports the crypto core or libsodium: the relay cannot decrypt by construction;
// - widget/ and console/ never import server/, and server/ never imports them;
// - the survivor bundle (widget/) never imports the staff-key module (sumo build, Argon2id).

type Violation = { file: string; spec: string };

function violations(dir: string, bad: (target: string, spec: string) => boolean): Violation[] {
  const out: Violation[] = [];
  for (const file of sourceFiles(dir)) {
    for (const spec of importsOf(file)) {
      if (bad(resolveSpecifier(file, spec), spec)) out.push({ file, spec });
    }
  }
  return out;
}

const isFolder = (target: string, folder: string) => target === folder || target.startsWith(`${folder}/`);
const forbiddenInShared =
  /^(node:|fs$|path$|crypto$|socket\.io|express|helmet|pino|kysely|better-sqlite3|pg$|preact|ioredis)/;

describe("architecture boundaries", () => {
  it("finds the source files it checks", () => {
    expect(sourceFiles("shared").length).toBeGreaterThan(0);
    expect(sourceFiles("server").length).toBeGreaterThan(0);
  });

  it("keeps shared/ pure", () => {
    const found = violations(
      "shared",
      (target, spec) =>
        forbiddenInShared.test(spec) ||
        ["server", "widget", "console", "tests"].some((f) => isFolder(target, f)),
    );
    expect(found).toEqual([]);
  });

  it("keeps the crypto core out of the server", () => {
    const found = violations(
      "server",
      (target, spec) =>
        isFolder(target, "shared/crypto") || spec.startsWith("libsodium") || spec.includes("shared/crypto"),
    );
    expect(found).toEqual([]);
  });

  it("keeps the apps and the server apart", () => {
    const fromApps = [...violations("widget", (t) => isFolder(t, "server") || isFolder(t, "console"))];
    const fromConsole = violations("console", (t) => isFolder(t, "server") || isFolder(t, "widget"));
    const fromServer = violations("server", (t) => isFolder(t, "widget") || isFolder(t, "console"));
    expect([...fromApps, ...fromConsole, ...fromServer]).toEqual([]);
  });

  it("keeps staff keys and the sumo build out of the survivor bundle", () => {
    const found = violations(
      "widget",
      (target, spec) => isFolder(target, "shared/crypto/staff") || spec.startsWith("libsodium-wrappers-sumo"),
    );
    expect(found).toEqual([]);
  });

  it("detects a violation when one exists", () => {
    // Guards the checker itself: a fake import list must be caught.
    expect(forbiddenInShared.test("node:fs")).toBe(true);
    expect(
      isFolder(resolveSpecifier("server/relay/x.ts", "../../shared/crypto/channel.ts"), "shared/crypto"),
    ).toBe(true);
  });
});
