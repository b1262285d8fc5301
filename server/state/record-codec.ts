import { LANGUAGES } from "../../shared/protocol/limits.ts";
import type { SessionRecord, SideRecord, StaffPresence } from "./records.ts";

/**
 * Session records as JSON for Redis: byte fields as base64url. Parsing trusts only our own
 * writes (Redis is inside the trust boundary of the relay), but still refuses anything that is
 * not an object with an id, so a foreign key under our prefix reads as "no session".
 */
type Bytes = Uint8Array;
const b64 = (bytes: Bytes) => Buffer.from(bytes).toString("base64url");
const bytes = (text: string): Bytes => new Uint8Array(Buffer.from(text, "base64url"));

export function encodeSession(r: SessionRecord): string {
  return JSON.stringify({
    ...r,
    survivorKey: b64(r.survivorKey),
    resumeTokenHash: b64(r.resumeTokenHash),
    previousTokenHash: r.previousTokenHash ? b64(r.previousTokenHash) : null,
    handshake: r.handshake ? b64(r.handshake) : null,
    transfer: r.transfer ? { ...r.transfer, note: r.transfer.note ? b64(r.transfer.note) : undefined } : null,
  });
}

export function decodeSession(text: string): SessionRecord | null {
  try {
    const o = JSON.parse(text);
    if (typeof o !== "object" || o === null || typeof o.id !== "string") return null;
    const transfer = o.transfer
      ? o.transfer.note
        ? { from: o.transfer.from, fromName: o.transfer.fromName, note: bytes(o.transfer.note) }
        : { from: o.transfer.from, fromName: o.transfer.fromName }
      : null;
    return {
      ...o,
      survivorKey: bytes(o.survivorKey),
      resumeTokenHash: bytes(o.resumeTokenHash),
      previousTokenHash: o.previousTokenHash ? bytes(o.previousTokenHash) : null,
      previousTokenUntil: typeof o.previousTokenUntil === "number" ? o.previousTokenUntil : null,
      survivorNode: typeof o.survivorNode === "string" ? o.survivorNode : null,
      handshake: o.handshake ? bytes(o.handshake) : null,
      transfer,
    } as SessionRecord;
  } catch {
    return null;
  }
}

/** Presence without the connection count, which lives per node beside it. */
export type StaffProfile = Omit<StaffPresence, "connections">;

export function encodeProfile(p: StaffPresence | StaffProfile): string {
  return JSON.stringify({
    id: p.id,
    displayName: p.displayName,
    role: p.role,
    certified: p.certified,
    chatLimit: p.chatLimit,
    languages: p.languages,
    status: p.status,
    disconnectedAt: p.disconnectedAt,
    ...(p.desk ? { desk: p.desk } : {}),
  } satisfies StaffProfile);
}

export function decodeProfile(text: string): StaffProfile | null {
  try {
    const o = JSON.parse(text);
    if (typeof o !== "object" || o === null || typeof o.id !== "string") return null;
    // A profile written before languages existed counsels in every language.
    return { ...o, languages: Array.isArray(o.languages) ? o.languages : LANGUAGES } as StaffProfile;
  } catch {
    return null;
  }
}

/** Side conversation records hold no bytes: plain JSON, refused unless it names its id. */
export const encodeSide = (r: SideRecord): string => JSON.stringify(r);

export function decodeSide(text: string): SideRecord | null {
  try {
    const o = JSON.parse(text);
    return typeof o === "object" && o !== null && typeof o.id === "string" ? (o as SideRecord) : null;
  } catch {
    return null;
  }
}
