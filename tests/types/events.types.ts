/**
 * Compile-time checks of the event maps, run by `tsc -p tests`: every `@ts-expect-error` line
 * must fail to compile, so a wrong payload in a client or the relay is a type error.
 */
import type { Socket as ClientSocket } from "socket.io-client";
import type {
  SessionId,
  StaffClientToServer,
  StaffServerToClient,
  SurvivorClientToServer,
  SurvivorServerToClient,
} from "../../shared/protocol/index.ts";

declare const survivor: ClientSocket<SurvivorServerToClient, SurvivorClientToServer>;
declare const staff: ClientSocket<StaffServerToClient, StaffClientToServer>;
declare const sessionId: SessionId;
const ciphertext = new Uint8Array(16);

// Correct payloads compile.
survivor.emit("frame", { sessionId, epoch: 0, seq: 1, ciphertext });
survivor.emit("frame", { sessionId, epoch: 0, seq: 1, ciphertext }, (reply) => {
  if (!reply.ok) reply.error satisfies string;
});
survivor.emit("ack", { sessionId, epoch: 0, seq: 1 });
staff.emit("take", {}, (reply) => {
  if (reply.ok) reply.assigned.survivorKey satisfies Uint8Array;
});
survivor.on("ended", (e) => {
  e.reason satisfies
    | "counselor-ended"
    | "idle"
    | "server-shutdown"
    | "transfer-failed"
    | "expired"
    | "helpline-closed";
});

// @ts-expect-error a plain string is not a SessionId (ids are minted by the schemas)
survivor.emit("ack", { sessionId: "not-branded", epoch: 0, seq: 1 });
// @ts-expect-error ciphertext must be bytes, not base64 text
survivor.emit("frame", { sessionId, epoch: 0, seq: 1, ciphertext: "aGVsbG8=" });
// @ts-expect-error `seq` is required
survivor.emit("ack", { sessionId, epoch: 0 });
// @ts-expect-error survivors cannot take chats: not in their event map
survivor.emit("take", {});
// @ts-expect-error counselors cannot join the queue
staff.emit("join", {});
// @ts-expect-error status must be one of available/away/break
staff.emit("status", { status: "offline" }, () => {});
// @ts-expect-error the leave reason for survivors is a closed set
survivor.emit("leave", { sessionId, reason: "bored" });
// @ts-expect-error `accepted` carries a handshake, not a string
survivor.on("accepted", (a: { sessionId: SessionId; epoch: number; handshake: string }) => a);
