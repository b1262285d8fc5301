import * as v from "valibot";
import { ackRequest, type EmitWithAck } from "../../../shared/protocol/ack-request.ts";
import {
  parse,
  RELAY_ERROR_CODES,
  type RelayErrorCode,
  type SessionId,
  SideEndedSchema,
  type SideEnded,
  type SideHello,
  SideIdSchema,
  type SideId,
  SideJoinedSchema,
  type SideMessage,
  SideForwardSchema,
  SideOpenedSchema,
  type SideRequests,
  SideRequestsSchema,
} from "../../../shared/protocol/index.ts";

/**
 * The side-conversation events of the `/staff` socket ("Ask a supervisor"). Everything the
 * relay sends is parsed here first; the bytes it forwards are opened only in the crypto worker.
 */
export type SideEvents = {
  "side-requests": SideRequests;
  "side-opened": SideHello;
  "side-joined": SideHello;
  "side-message": SideMessage;
  "side-ended": SideEnded;
};

export type SideReply = { readonly ok: true } | { readonly ok: false; readonly error: RelayErrorCode };
export type AskReply =
  | { readonly ok: true; readonly requestId: SideId }
  | { readonly ok: false; readonly error: RelayErrorCode };

export type SideTransport = Readonly<{
  on: <E extends keyof SideEvents>(event: E, handler: (payload: SideEvents[E]) => void) => void;
  ask: (sessionId: SessionId) => Promise<AskReply>;
  open: (requestId: SideId, hello: Uint8Array) => Promise<SideReply>;
  join: (requestId: SideId, hello: Uint8Array) => Promise<SideReply>;
  send: (requestId: SideId, seq: number, ciphertext: Uint8Array) => Promise<SideReply>;
  end: (requestId: SideId) => Promise<SideReply>;
}>;

const schemas: { [E in keyof SideEvents]: v.GenericSchema<unknown, SideEvents[E]> } = {
  "side-requests": SideRequestsSchema as unknown as v.GenericSchema<unknown, SideRequests>,
  "side-opened": SideOpenedSchema as unknown as v.GenericSchema<unknown, SideHello>,
  "side-joined": SideJoinedSchema as unknown as v.GenericSchema<unknown, SideHello>,
  "side-message": SideForwardSchema as unknown as v.GenericSchema<unknown, SideMessage>,
  "side-ended": SideEndedSchema,
};

const failure = v.object({ ok: v.literal(false), error: v.picklist(RELAY_ERROR_CODES) });
const ReplySchema = v.variant("ok", [v.object({ ok: v.literal(true) }), failure]);
const AskReplySchema = v.variant("ok", [v.object({ ok: v.literal(true), requestId: SideIdSchema }), failure]);

type Listen = (event: string, handler: (payload: unknown) => void) => void;

/** `emit` sends with an acknowledgement and resolves with the raw answer (or rejects on timeout). */
export function sideTransport(
  listen: Listen,
  emit: EmitWithAck,
  bytes: (b: Uint8Array) => ArrayBuffer,
): SideTransport {
  const request = <T>(schema: v.GenericSchema<unknown, T>, event: string, payload: unknown) =>
    ackRequest(emit, schema, event, payload);
  return {
    on: (event, handler) =>
      listen(event, (payload) => {
        const parsed = parse(schemas[event], payload);
        if (parsed.ok) handler(parsed.value as SideEvents[typeof event]);
      }),
    ask: (sessionId) => request(AskReplySchema, "side-ask", { sessionId }) as Promise<AskReply>,
    open: (requestId, hello) => request(ReplySchema, "side-open", { requestId, hello: bytes(hello) }),
    join: (requestId, hello) => request(ReplySchema, "side-join", { requestId, hello: bytes(hello) }),
    send: (requestId, seq, ciphertext) =>
      request(ReplySchema, "side-message", { requestId, seq, ciphertext: bytes(ciphertext) }),
    end: (requestId) => request(ReplySchema, "side-end", { requestId }),
  };
}
