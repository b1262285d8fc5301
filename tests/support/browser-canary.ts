import { randomBytes } from "node:crypto";

/**
 * A canary is a random word typed into the chat; finding it anywhere it should not be (a
 * WebSocket frame, a log line, the database, a file, a heap snapshot) proves a leak. Letters
 * only, so it types cleanly and never matches by chance.
 */
export function makeCanary(prefix = "cnry"): string {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  return prefix + [...randomBytes(20)].map((b) => letters[b % letters.length]).join("");
}

/** An Urdu canary: random Arabic-script letters, to check the non-ASCII path. */
export function makeUrduCanary(): string {
  const letters = "ابپتٹثجچحخدڈذرڑزژسشصضطظعغفقکگلمنوہیے";
  return `سہارا${[...randomBytes(12)].map((b) => letters[b % letters.length]).join("")}`;
}

/**
 * The canary as character codes: a page builds the string from these at run time, so the
 * test never plants a literal copy in the renderer (an evaluated script's source stays in the
 * heap and would make a heap search meaningless).
 */
export function charCodes(text: string): number[] {
  return [...text].map((c) => c.codePointAt(0) ?? 0);
}

/** Every byte form the canary can take in memory, on disk or on the wire. */
export function canaryEncodings(canary: string): readonly Buffer[] {
  const escaped = [...canary]
    .map((c) => {
      const code = c.codePointAt(0) ?? 0;
      return code < 0x80 ? c : `\\u${code.toString(16).padStart(4, "0")}`;
    })
    .join("");
  const forms = [Buffer.from(canary, "utf8"), Buffer.from(canary, "utf16le"), Buffer.from(escaped, "utf8")];
  // Latin-1 one-byte form equals UTF-8 for ASCII; for non-ASCII the JSON-escaped form covers it.
  return forms.filter((f, i) => forms.findIndex((g) => g.equals(f)) === i);
}

/** True when any encoding of `canary` occurs in `bytes`. */
export function containsCanary(bytes: Uint8Array, canary: string): boolean {
  const haystack = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return canaryEncodings(canary).some((needle) => haystack.includes(needle));
}
