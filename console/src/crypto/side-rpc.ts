/**
 * The crypto worker's side-conversation requests ("Ask a supervisor"). Text goes in to be sealed
 * and comes out opened; the ephemeral keys and the conversation keys never leave the worker.
 */
export type SideRequest =
  /** Supervisor: a fresh signed offer for this request. */
  | Readonly<{ type: "side-offer"; requestId: string }>
  /** Counselor: verify the supervisor's offer, answer it, keep the conversation keys. */
  | Readonly<{ type: "side-answer"; requestId: string; offer: Uint8Array }>
  /** Supervisor: verify the counselor's answer (signed by `counselor`), keep the keys. */
  | Readonly<{ type: "side-complete"; requestId: string; answer: Uint8Array; counselor: string }>
  | Readonly<{ type: "side-seal"; requestId: string; text: string }>
  | Readonly<{ type: "side-open"; requestId: string; seq: number; ciphertext: Uint8Array }>
  | Readonly<{ type: "side-wipe"; requestId: string }>;

export type SideAnswers = {
  "side-offer": Readonly<{ hello: Uint8Array }>;
  "side-answer": Readonly<{ answer: Uint8Array; peerName: string }>;
  "side-complete": Readonly<{ peerName: string }>;
  "side-seal": Readonly<{ seq: number; ciphertext: Uint8Array }>;
  "side-open": Readonly<{ text: string }>;
  "side-wipe": Readonly<Record<string, never>>;
};
