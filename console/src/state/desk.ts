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
  /** A newer console page of this staff member took the desk and its chats; this one is let go. */
  replaced: boolean;
}>;

export const initialDesk: Desk = {
  queue: [],
  queueAt: 0,
  load: null,
  loadAt: 0,
  connected: false,
  loginLost: false,
  replaced: false,
};

export type DeskAction =
  | Readonly<{ type: "queue"; entries: readonly QueueEntry[]; at: number }>
  | Readonly<{ type: "load"; load: LoadSnapshot; at: number }>
  | Readonly<{ type: "connection"; connected: boolean }>
  | Readonly<{ type: "login-lost" }>
  | Readonly<{ type: "replaced" }>;

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
    case "replaced":
      return { ...desk, connected: false, replaced: true, queue: [], load: null };
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

/** Why a colleague cannot receive a chat now; null when they can. */
export type Unavailability = "away" | "break" | "offline" | "full";

export type TransferCandidate = Readonly<{
  id: StaffId;
  displayName: string;
  /** Null until the relay's first load snapshot arrives. */
  load: Readonly<{ chats: number; limit: number }> | null;
  unavailable: Unavailability | null;
  entry: DirectoryEntry;
}>;

function unavailability(c: CounselorLoad): Unavailability | null {
  switch (c.status) {
    case "available":
      return c.chats >= c.limit ? "full" : null;
    case "away":
      return "away";
    case "break":
      return "break";
    case "offline":
      return "offline";
    default: {
      const never: never = c.status;
      return never;
    }
  }
}

/**
 * Colleagues a chat can go to: certified (in the directory, so the handover can be sealed to
 * their key) and not oneself, each with status and load. Those available with room come first,
 * least loaded first; the rest follow with the reason they cannot take it (shown, not
 * selectable). Before the first load snapshot every colleague is listed and the relay decides.
 */
export function transferCandidates(
  load: LoadSnapshot | null,
  directory: readonly DirectoryEntry[],
  self: StaffId,
): readonly TransferCandidate[] {
  const byName = (a: TransferCandidate, b: TransferCandidate) => a.displayName.localeCompare(b.displayName);
  if (!load) {
    return directory
      .filter((d) => d.id !== self)
      .map((d) => ({ id: d.id, displayName: d.displayName, load: null, unavailable: null, entry: d }))
      .sort(byName);
  }
  const loads = new Map(load.counselors.map((c) => [c.id as string, c]));
  const out: TransferCandidate[] = [];
  for (const entry of directory) {
    if (entry.id === self) continue;
    const c = loads.get(entry.id);
    out.push({
      id: entry.id,
      displayName: c?.displayName ?? entry.displayName,
      load: c ? { chats: c.chats, limit: c.limit } : null,
      unavailable: c ? unavailability(c) : "offline",
      entry,
    });
  }
  const ratio = (c: TransferCandidate) => (c.load && c.load.limit > 0 ? c.load.chats / c.load.limit : 0);
  return out.sort(
    (a, b) =>
      Number(a.unavailable !== null) - Number(b.unavailable !== null) || ratio(a) - ratio(b) || byName(a, b),
  );
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
