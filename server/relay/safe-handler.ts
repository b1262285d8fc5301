import type { Logger } from "pino";
import type * as v from "valibot";
import { parse, type RelayErrorCode, type Reply } from "../../shared/protocol/index.ts";

/**
 * What the relay sends back through an optional socket.io acknowledgement. Loosely typed here;
 * handlers pin each success shape to the event map with `satisfies`.
 */
export type SafeReply = (reply: Reply<Record<string, unknown>>) => void;

const noReply: SafeReply = () => {};

/**
 * Wraps whatever arrived in the acknowledgement slot. A client may omit it, send a non-function
 * or disconnect before we answer; none of that may throw inside the relay. Null when absent.
 */
export function safeReply(candidate: unknown, logger: Logger): SafeReply | null {
  if (typeof candidate !== "function") return null;
  const fn = candidate as (reply: unknown) => void;
  return (value) => {
    try {
      fn(value);
    } catch {
      logger.warn("reply callback threw");
    }
  };
}

type Listenable = { on(event: string, listener: (this: unknown, ...args: unknown[]) => void): unknown };

export type EventContext = Readonly<{
  reply: SafeReply;
  /** Refuse with a code: through the reply if there is one, otherwise through `onRefuse`. */
  refuse: (code: RelayErrorCode) => void;
}>;

export type EventSpec<S extends v.GenericSchema> = Readonly<{
  schema: S;
  /** Maps a payload that failed the schema to a more precise code than `bad-request`. */
  classify?: (payload: unknown) => RelayErrorCode;
  handler: (value: v.InferOutput<S>, context: EventContext) => Promise<void> | void;
}>;

export type Gate = Readonly<{
  logger: Logger;
  /** Per-socket rate limit; false refuses the event with `rate-limited`. */
  admit: () => boolean;
  /** Where refusals of events without a reply go (an `error` event, or nowhere for acks). */
  onRefuse: (code: RelayErrorCode, payload: unknown) => void;
}>;

/**
 * Registers a handler that validates its payload with valibot before running, answers every
 * failure with an error code, and turns any exception into `internal` for this socket only:
 * one session's bad input never reaches another session or the process.
 */
export function on<S extends v.GenericSchema>(
  socket: unknown,
  event: string,
  gate: Gate,
  spec: EventSpec<S>,
): void {
  (socket as Listenable).on(event, (payload: unknown, callback: unknown) =>
    run(event, gate, spec, payload, callback, spec.handler),
  );
}

/** Like EventSpec, for a listener shared by every socket of a namespace: the socket is an argument. */
export type SharedEventSpec<Sock, S extends v.GenericSchema> = Readonly<{
  schema: S;
  classify?: (payload: unknown) => RelayErrorCode;
  /** This socket's gate for the event (its rate-limit buckets live on the socket). */
  gate: (socket: Sock) => Gate;
  handler: (socket: Sock, value: v.InferOutput<S>, context: EventContext) => Promise<void> | void;
}>;

export type SharedListener = Readonly<{
  event: string;
  listener: (this: unknown, ...args: unknown[]) => void;
}>;

/**
 * One listener for every socket: socket.io calls it with `this` = the socket. Measured in
 * bench/relay.bench.ts: a closure per event per socket (listener, spec and handler) was about
 * 5 KB of heap on each idle survivor socket, a third of its whole cost.
 */
export function shared<Sock, S extends v.GenericSchema>(
  event: string,
  spec: SharedEventSpec<Sock, S>,
): SharedListener {
  return {
    event,
    listener(this: unknown, payload: unknown, callback: unknown) {
      const socket = this as Sock;
      run(event, spec.gate(socket), spec, payload, callback, (value, context) =>
        spec.handler(socket, value, context),
      );
    },
  };
}

export function listen(socket: unknown, listeners: readonly SharedListener[]): void {
  for (const { event, listener } of listeners) (socket as Listenable).on(event, listener);
}

function run<S extends v.GenericSchema>(
  event: string,
  gate: Gate,
  spec: Readonly<{ schema: S; classify?: (payload: unknown) => RelayErrorCode }>,
  payload: unknown,
  callback: unknown,
  handler: (value: v.InferOutput<S>, context: EventContext) => Promise<void> | void,
): void {
  const replied = safeReply(callback, gate.logger);
  const refuse = (code: RelayErrorCode) => {
    if (replied) replied({ ok: false, error: code });
    else gate.onRefuse(code, payload);
  };
  try {
    if (!gate.admit()) {
      refuse("rate-limited");
      return;
    }
    const parsed = parse(spec.schema, payload);
    if (!parsed.ok) {
      refuse(spec.classify?.(payload) ?? "bad-request");
      return;
    }
    const result = handler(parsed.value, { reply: replied ?? noReply, refuse });
    if (result) {
      result.then(undefined, (error: unknown) => {
        gate.logger.error({ event, err: errorName(error) }, "handler failed");
        refuse("internal");
      });
    }
  } catch (error) {
    gate.logger.error({ event, err: errorName(error) }, "handler failed");
    refuse("internal");
  }
}

/** Only the error's class name is logged: messages can echo input. */
function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
