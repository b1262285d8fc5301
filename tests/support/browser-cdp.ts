import WebSocket from "ws";

/**
 * A minimal Chrome DevTools Protocol client over the browser's own debugging socket, in flat
 * session mode. The harness uses it instead of Playwright's instrumentation so that it sees
 * every target (the partner page, the cross-origin chat frame in its own process, workers,
 * service workers) independently of the library it is checking the product with.
 */
export type CdpEvent = Readonly<{ method: string; params: Record<string, unknown>; sessionId?: string }>;
type Listener = (event: CdpEvent) => void;

const COMMAND_TIMEOUT_MS = 20_000;

type Pending = Readonly<{
  resolve: (value: Record<string, unknown>) => void;
  reject: (error: Error) => void;
}>;

export class CdpConnection {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<Listener>();
  private closed = false;

  private readonly socket: WebSocket;

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on("message", (data) => this.onMessage(String(data)));
    socket.on("close", () => {
      this.closed = true;
      for (const p of this.pending.values()) p.reject(new Error("cdp connection closed"));
      this.pending.clear();
    });
  }

  static async connect(url: string): Promise<CdpConnection> {
    const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1024 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    return new CdpConnection(socket);
  }

  /** Sends a command to the browser (no sessionId) or to an attached target's session. */
  send<T = Record<string, unknown>>(
    method: string,
    params: object = {},
    sessionId?: string,
    /** Longer for work that grows with the target (a heap snapshot of a busy page). */
    timeoutMs = COMMAND_TIMEOUT_MS,
  ): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`cdp connection closed (${method})`));
    const id = this.nextId++;
    const message = sessionId === undefined ? { id, method, params } : { id, method, params, sessionId };
    return new Promise<T>((resolve, reject) => {
      // A command to a paused or vanished target can go unanswered: never hang a test on it.
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(new Error(`${method}: ${error.message}`));
        },
      });
      this.socket.send(JSON.stringify(message));
    });
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the first event matching `predicate`, or rejects after `timeoutMs`. */
  waitFor(predicate: (event: CdpEvent) => boolean, timeoutMs = 30_000): Promise<CdpEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error("cdp event timeout"));
      }, timeoutMs);
      const off = this.on((event) => {
        if (!predicate(event)) return;
        clearTimeout(timer);
        off();
        resolve(event);
      });
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    this.closed = true;
    this.socket.close();
  }

  private onMessage(text: string): void {
    const message = JSON.parse(text) as {
      id?: number;
      method?: string;
      params?: Record<string, unknown>;
      result?: Record<string, unknown>;
      error?: { message: string };
      sessionId?: string;
    };
    if (message.id !== undefined) {
      const p = this.pending.get(message.id);
      if (!p) return;
      this.pending.delete(message.id);
      if (message.error) p.reject(new Error(message.error.message));
      else p.resolve(message.result ?? {});
      return;
    }
    if (message.method === undefined) return;
    const event: CdpEvent =
      message.sessionId === undefined
        ? { method: message.method, params: message.params ?? {} }
        : { method: message.method, params: message.params ?? {}, sessionId: message.sessionId };
    for (const listener of [...this.listeners]) listener(event);
  }
}
