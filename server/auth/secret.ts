import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const SECRET_BYTES = 32;

/**
 * The process secret keys fake salts, proof-of-work challenges and rate-limit hashes. It must
 * outlive a restart: a fake salt that changed after a restart would tell an observer that the
 * username was unknown (real salts never change). So without SAHARA_SECRET, one is generated
 * on first start and kept in the data directory (mode 0600). Several relay nodes must share
 * SAHARA_SECRET instead (README "Running").
 */
export function resolveSecret(configured: Uint8Array | null, dataDir: string): Uint8Array {
  if (configured) return configured;
  const file = join(dataDir, "secret");
  if (existsSync(file)) {
    const stored = Buffer.from(readFileSync(file, "utf8").trim(), "hex");
    if (stored.byteLength >= SECRET_BYTES) return new Uint8Array(stored);
    throw new Error(`${file} is not a valid secret (expected ${SECRET_BYTES * 2} hex characters)`);
  }
  mkdirSync(dataDir, { recursive: true });
  const fresh = randomBytes(SECRET_BYTES);
  writeFileSync(file, `${fresh.toString("hex")}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(file, 0o600);
  return new Uint8Array(fresh);
}
