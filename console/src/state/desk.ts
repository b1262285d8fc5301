import type { DirectoryEntry } from "../../../shared/protocol/http/index.ts";
import type { CounselorLoad, LoadSnapshot, QueueEntry, StaffId } from "../../../shared/protocol/index.ts";

/**
 * What the relay tells every staff member about the helpline as a whole: the waiting queue and
 * (for supervisors and transfers) each counselor's status and load. Metadata only, never content.
 */
export type Desk = Readonly<{
  queue: readonly QueueEntry[];
  queueAt: number;
  load: LoadSnapshot | null;
  loadAt: number;
  connected: boolean;
  /** The relay refused this console's login on reconnecting (a restart forgets every login). */
  loginLost: boolean;
}>;

export const initialDesk: Desk = {
  queue: [],
  queueAt: 0,
  load: null,
  loadAt: 0,
  connected: false,
  loginLost: false,
};

export type DeskAction =
  | Readonly<{ type: "queue"; entries: readonly QueueEntry[]; at: number }>
  | Readonly<{ type: "load"; load: LoadSnapshot; at: number }>
  | Readonly<{ type: "connection"; connected: boolean }>
  | Readonly<{ type: "login-lost" }>;

export function deskReducer(desk: Desk, action: DeskAction): Desk {
  switch (action.type) {
    case "queue":
      return { ...desk, queue: action.entries, queueAt: action.at };
    case "load":
      return { ...desk, load: action.load, loadAt: action.at };
    case "connection":
      return { ...desk, connected: action.connected };
    case "login-lost":
      // The queue and load views are stale from here on: show nothing rather than old numbers.
      return { ...desk, connected: false, loginLost: true, queue: [], load: null };
    default: {
      const never: never = action;
      return never;
    }
  }
}

/** Seconds waited now, counting from when the snapshot arrived (the relay does not tick it). */
export function waitedNow(waitedAtSnapshot: number, snapshotAt: number, now: number): number {
  return Math.max(0, waitedAtSnapshot + Math.floor((now - snapshotAt) / 1000));
}

/** Longest-waiting first: the order "Take next" serves. */
export function sortedQueue(entries: readonly QueueEntry[]): readonly QueueEntry[] {
  return [...entries].sort((a, b) => b.waitingSeconds - a.waitingSeconds);
}

/** `1:05` or `1:02:09`. */
export function formatWait(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

export type TransferCandidate = Readonly<{
  id: StaffId;
  displayName: string;
  /** Null when the relay sends this console no load view (only supervisors get one). */
  load: Readonly<{ chats: number; limit: number }> | null;
  entry: DirectoryEntry;
}>;

/**
 * Colleagues a chat can go to: certified (in the directory, so the note can be sealed to their
 * key) and not oneself; with a load view, only those available and below their limit, least
 * loaded first. Without one (counselors get none) every certified colleague is listed and the
 * relay refuses a transfer to someone unavailable (`not-available`).
 */
export function transferCandidates(
  load: LoadSnapshot | null,
  directory: readonly DirectoryEntry[],
  self: StaffId,
): readonly TransferCandidate[] {
  if (!load) {
    return directory
      .filter((d) => d.id !== self)
      .map((d) => ({ id: d.id, displayName: d.displayName, load: null, entry: d }))
      .sort((a, b) => a.displayName.localeCompare(b.displayName));
  }
  const byId = new Map(directory.map((d) => [d.id as string, d]));
  const out: TransferCandidate[] = [];
  for (const c of load.counselors) {
    const entry = byId.get(c.id);
    if (!entry || c.id === self || c.status !== "available" || c.chats >= c.limit) continue;
    out.push({ id: c.id, displayName: c.displayName, load: { chats: c.chats, limit: c.limit }, entry });
  }
  const ratio = (c: TransferCandidate) => (c.load ? c.load.chats / c.load.limit : 0);
  return out.sort((a, b) => ratio(a) - ratio(b) || a.displayName.localeCompare(b.displayName));
}

export type LoadSummary = Readonly<{
  available: number;
  away: number;
  onBreak: number;
  offline: number;
  chats: number;
  capacity: number;
}>;

export function summarizeLoad(counselors: readonly CounselorLoad[]): LoadSummary {
  let available = 0;
  let away = 0;
  let onBreak = 0;
  let offline = 0;
  let chats = 0;
  let capacity = 0;
  for (const c of counselors) {
    chats += c.chats;
    switch (c.status) {
      case "available":
        available++;
        capacity += Math.max(0, c.limit - c.chats);
        break;
      case "away":
        away++;
        break;
      case "break":
        onBreak++;
        break;
      case "offline":
        offline++;
        break;
      default: {
        const never: never = c.status;
        return never;
      }
    }
  }
  return { available, away, onBreak, offline, chats, capacity };
}
