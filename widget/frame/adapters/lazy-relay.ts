import type { RelayTransport } from "./relay-socket.ts";

/**
 * A relay transport whose socket.io client (about a third of the frame's script) arrives in its
 * own chunk, after the entry script: the start screen needs only the entry, and on a slow link
 * every kilobyte left out of it shows the start screen sooner. The returned transport is usable
 * at once: calls made before the chunk has arrived run, in order, when it has; once it has
 * arrived they go straight through. If the chunk cannot be had, the connection reports itself
 * down and requests fail like a relay that does not answer; like a connection, it is tried
 * again after a pause (`LOAD_RETRY_MS`, doubling) until closed, and the event handlers already
 * registered are kept for when it comes (a flaky link dropped the download: the survivor is told
 * the connection is down, and the chat goes on once the network is back).
 */
export function lazyRelay(load: () => Promise<() => RelayTransport>): () => RelayTransport {
  return () => {
    let real: RelayTransport | null = null;
    /** The last load failed; another is on its way after a pause. */
    let failed = false;
    let closed = false;
    let retries = 0;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;
    type Waiting = Readonly<{ call: (transport: RelayTransport) => void; orElse: () => void; keep: boolean }>;
    /** Calls waiting for the chunk, each with what to do instead if it does not come. */
    let queue: Waiting[] = [];
    /** Fails the waiting requests; keeps the registrations when the load is tried again. */
    const drop = (all: boolean) => {
      const waiting = queue;
      queue = all ? [] : waiting.filter((entry) => entry.keep);
      for (const entry of waiting) if (all || !entry.keep) entry.orElse();
    };
    const downHandlers: Array<(connected: boolean, reconnect: boolean) => void> = [];
    const attempt = () => {
      retryTimer = null;
      load().then(
        (connect) => {
          if (closed) return;
          failed = false;
          const transport = connect();
          real = transport;
          const waiting = queue;
          queue = [];
          for (const entry of waiting) entry.call(transport);
        },
        () => {
          if (closed) return;
          failed = true;
          drop(false);
          for (const handler of downHandlers) handler(false, false);
          retryTimer = setTimeout(attempt, LOAD_RETRY_MS * 2 ** Math.min(retries++, 3));
        },
      );
    };
    attempt();
    /** Runs now, or once loaded; `orElse` when the chunk could not be had (for now) or the transport was closed. */
    const when = <T>(
      call: (transport: RelayTransport) => T,
      orElse: () => T,
      keep = false,
    ): T | undefined => {
      if (real) return call(real);
      if (closed || (failed && !keep)) return orElse();
      queue.push({ call, orElse, keep });
      return undefined;
    };
    const stop = () => {
      closed = true;
      if (retryTimer !== null) clearTimeout(retryTimer);
      retryTimer = null;
      drop(true);
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
      on: (event, handler) => void when((t) => t.on(event, handler), noop, true),
      onConnection: (handler) => {
        if (real) return real.onConnection(handler);
        if (closed) return;
        downHandlers.push(handler);
        queue.push({ call: (t) => t.onConnection(handler), orElse: noop, keep: true });
        if (failed) handler(false, false);
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
        stop();
      },
      closeNow: () => {
        if (real) return real.closeNow();
        stop();
      },
    };
  };
}

const noop = () => undefined;

/** First pause before the chunk is asked for again; doubled up to 8 times that. */
const LOAD_RETRY_MS = 1000;
