import type { SessionRecord } from "../../server/state/records.ts";
import type { SessionId } from "../../shared/protocol/index.ts";

/**
 * A session record for store tests: a waiting English chat of the demo partner with a connected
 * survivor, no counselor and zeroed keys, times at 0; `over` sets what a test is about. One
 * place to add a field the record gains.
 */
export function sessionRecord(id: SessionId, over: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id,
    version: 0,
    state: "waiting",
    epoch: 0,
    language: "en",
    partner: "demo" as SessionRecord["partner"],
    team: "default",
    survivorKey: new Uint8Array(32),
    resumeTokenHash: new Uint8Array(32),
    previousTokenHash: null,
    previousTokenUntil: null,
    counselor: null,
    previousCounselor: null,
    transferTo: null,
    transfer: null,
    handshake: null,
    queuedAt: 0,
    assignedAt: null,
    lastActivity: 0,
    survivorSocket: "sock",
    survivorNode: null,
    survivorDisconnectedAt: null,
    expiresAt: 0,
    ...over,
  };
}
