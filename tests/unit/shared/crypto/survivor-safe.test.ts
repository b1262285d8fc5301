import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importsOf, resolveSpecifier, root } from "../../../support/imports.ts";

/**
 * The survivor's bundle imports shared/crypto/index.ts. Follow every import from there,
 * transitively: none may reach the staff module or the sumo build (Argon2id, ~5x the WASM).
 */
function transitiveImports(entry: string): { files: Set<string>; bare: Set<string> } {
  const files = new Set<string>();
  const bare = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of importsOf(file)) {
      const target = resolveSpecifier(file, spec);
      if (!spec.startsWith(".")) bare.add(spec);
      else if (existsSync(join(root, target))) queue.push(target);
      else throw new Error(`unresolved import ${spec} in ${file}`);
    }
  }
  return { files, bare };
}

describe("survivor-safe crypto entry", () => {
  const { files, bare } = transitiveImports("shared/crypto/index.ts");

  it("reaches the channel and handshake code (the walk works)", () => {
    expect(files.has("shared/crypto/channel.ts")).toBe(true);
    expect(files.has("shared/protocol/certificate.ts")).toBe(true);
    expect(bare.has("libsodium-wrappers")).toBe(true);
  });

  it("never reaches shared/crypto/staff or libsodium-wrappers-sumo", () => {
    expect([...files].filter((f) => f.startsWith("shared/crypto/staff/"))).toEqual([]);
    expect([...bare].filter((b) => b.startsWith("libsodium-wrappers-sumo"))).toEqual([]);
  });

  it("detects the staff module when it is reachable", () => {
    const staff = transitiveImports("shared/crypto/staff/index.ts");
    expect(staff.bare.has("libsodium-wrappers-sumo")).toBe(true);
  });
});
