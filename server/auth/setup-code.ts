import { createHmac } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tokenHash, tokensEqual } from "./tokens.ts";

/**
 * Threat: whoever reaches a fresh install first becomes its admin. Setup needs a one-time code
 * that the process prints at start and keeps in the data directory (mode 0600) until setup is
 * done, as Grafana, Jupyter and Vault do: only someone who can read the server's output or its
 * files can claim it. 16 characters from a 32-letter alphabet (80 bits): not guessable online.
 * The code is a keyed hash of the server's secret, so every relay node sharing that secret
 * (several nodes behind one origin) prints and accepts the same code, whichever node the setup
 * request reaches; the secret is as closely held as the code itself.
 */
const ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ0123456789";
const LENGTH = 16;
export const SETUP_CODE_FILE = "setup-code";

export type SetupCode = Readonly<{
  /** The code while setup is pending, null once done. */
  current: () => string | null;
  /** Case, spaces and dashes are forgiven (it is read off a terminal and typed). */
  matches: (candidate: string) => boolean;
  /** Setup is done: the code is forgotten and its file deleted. */
  consume: () => void;
}>;

export function normalizeSetupCode(raw: string): string {
  return raw.toUpperCase().replace(/[\s-]/g, "");
}

function derive(secret: Uint8Array): string {
  const bytes = createHmac("sha256", secret).update("sahara setup code v1").digest();
  let code = "";
  // 32 letters: 5 bits each from successive bytes' low bits (uniform: 256 is a multiple of 32).
  for (let i = 0; i < LENGTH; i++) code += ALPHABET[(bytes[i] ?? 0) % ALPHABET.length];
  return code.replace(/(.{4})(?=.)/g, "$1-");
}

/** Reads the pending code from `dataDir` or makes one; none (and no file) once set up. */
export function prepareSetupCode(dataDir: string, setUp: boolean, secret: Uint8Array): SetupCode {
  const file = join(dataDir, SETUP_CODE_FILE);
  let code: string | null = null;
  if (setUp) {
    rmSync(file, { force: true });
  } else {
    code = derive(secret);
    const stored = existsSync(file) ? readFileSync(file, "utf8").trim() : "";
    if (stored !== code) {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(file, `${code}\n`, { mode: 0o600 });
      chmodSync(file, 0o600);
    }
  }
  return {
    current: () => code,
    matches: (candidate) =>
      code !== null &&
      tokensEqual(tokenHash(normalizeSetupCode(candidate)), tokenHash(normalizeSetupCode(code))),
    consume: () => {
      code = null;
      rmSync(file, { force: true });
    },
  };
}
