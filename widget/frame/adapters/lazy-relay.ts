import type { RelayTransport } from "./relay-socket.ts";

/**
 * A relay transport whose socket.io client (about a third of the frame's script) arrives in its
 * own chunk, after the entry script: the start screen needs only the entry, and on a slow link
 * every kilobyte left out of it shows the start screen sooner. The returned transport is usable
 * at once: calls made before the chunk has arrived run, in order, when it has; once it has
 * arrived they go straight through. If the chunk cannot be had, the connection reports itself
 * down and requests fail like a relay that does not answer (the chat flow says so).
 */
export function lazyRelay(load: () => Promise<() => RelayTransport>): () => RelayTransport {
  return () => {
    let real: RelayTransport | null = null;
    let failed = false;
    let closed = false;
    /** Calls waiting for the chunk, each with what to do instead if it never comes. */
    let queue: Array<Readonly<{ call: (transport: RelayTransport) => void; orElse: () => void }>> = [];
    const drop = () => {
      const waiting = queue;
      queue = [];
      for (const entry of waiting) entry.orElse();
    };
    const downHandlers: Array<(connected: boolean, reconnect: boolean) => void> = [];
    load().then(
      (connect) => {
        if (closed) return;
        const transport = connect();
        real = transport;
        const waiting = queue;
        queue = [];
        for (const entry of waiting) entry.call(transport);
      },
      () => {
        failed = true;
        drop();
        for (const handler of downHandlers) handler(false, false);
      },
    );
    /** Runs now, or once loaded; `orElse` when the chunk could not be had or the transport was closed. */
    const when = <T>(call: (transport: RelayTransport) => T, orElse: () => T): T | undefined => {
      if (real) return call(real);
      if (failed || closed) return orElse();
      queue.push({ call, orElse });
      return undefined;
    };
    const request =
      <A extends unknown[], R>(
        pick: (transport: RelayTransport) => (...args: A) => Promise<R>,
        fallback: R,
      ) =>
      (...args: A): Promise<R> =>
        new Promise<R>((resolve) => {
          when(
            (transport) => resolve(pick(transport)(...args)),
            () => resolve(fallback),
          );
        });
    const internal = { ok: false as const, error: "internal" as const };
    return {
      on: (event, handler) => void when((t) => t.on(event, handler), noop),
      onConnection: (handler) => {
        if (real) return real.onConnection(handler);
        if (failed) return handler(false, false);
        if (closed) return;
        downHandlers.push(handler);
        queue.push({ call: (t) => t.onConnection(handler), orElse: noop });
      },
      join: request((t) => t.join, internal),
      resume: request((t) => t.resume, internal),
      transferKey: request((t) => t.transferKey, internal),
      leave: request((t) => t.leave, undefined),
      frame: (...args) => void when((t) => t.frame(...args), noop),
      ack: (...args) => void when((t) => t.ack(...args), noop),
      stillWaiting: (...args) => void when((t) => t.stillWaiting(...args), noop),
      close: () => {
        if (real) return real.close();
        closed = true;
        drop();
      },
      closeNow: () => {
        if (real) return real.closeNow();
        closed = true;
        drop();
      },
    };
  };
}

const noop = () => undefined;
