import type { CdpConnection, CdpEvent } from "./browser-cdp.ts";
import type { TargetTracker, TargetType } from "./browser-targets.ts";

/**
 * Records, over CDP, everything a page or frame sends or receives that could carry plaintext:
 * every WebSocket frame (`Network.webSocketFrameSent/Received`), every HTTP request's URL and
 * body, and every console message. Binary frames are kept as the exact bytes on the wire.
 */
export type WsFrame = Readonly<{
  direction: "sent" | "received";
  targetType: TargetType;
  targetUrl: string;
  socketUrl: string;
  opcode: number;
  bytes: Uint8Array;
}>;

export type HttpRequest = Readonly<{ targetType: TargetType; url: string; method: string; body: string }>;
export type ConsoleLine = Readonly<{ targetType: TargetType; text: string }>;

type WsResponse = { opcode: number; payloadData: string };

function payloadBytes(response: WsResponse): Uint8Array {
  // CDP gives text frames (opcode 1) as text and binary frames (opcode 2) as base64.
  return response.opcode === 2
    ? new Uint8Array(Buffer.from(response.payloadData, "base64"))
    : new TextEncoder().encode(response.payloadData);
}

/** One request's timing as seen from Node (performance.now() at the CDP events), for waterfalls. */
export type TimedRequest = {
  readonly targetType: TargetType;
  readonly url: string;
  readonly startedAt: number;
  finishedAt: number | null;
  bytes: number;
};

export class TrafficCapture {
  /** Every request with when it started and finished and its encoded bytes (WebSockets: opened). */
  readonly timeline: TimedRequest[] = [];
  private readonly timed = new Map<string, TimedRequest>();
  /**
   * Navigations by request id alone: an out-of-process iframe's document request is announced
   * on its parent page's session and finishes on the frame's own session (same request id, the
   * loader id), so without this the frame page's bytes were never counted.
   */
  private readonly documents = new Map<string, TimedRequest>();
  readonly frames: WsFrame[] = [];
  readonly requests: HttpRequest[] = [];
  readonly console: ConsoleLine[] = [];
  /** Bytes received over the network (headers and bodies as encoded), per target type. */
  readonly transferred = new Map<TargetType, number>();
  private readonly socketUrls = new Map<string, string>();

  private readonly targets: TargetTracker;

  private constructor(targets: TargetTracker) {
    this.targets = targets;
  }

  static async attach(cdp: CdpConnection, targets: TargetTracker): Promise<TrafficCapture> {
    const capture = new TrafficCapture(targets);
    cdp.on((event) => capture.onEvent(event));
    await targets.addInitializer(async (c, target) => {
      if (target.type === "other") return;
      await c.send("Network.enable", { maxPostDataSize: 65_536 }, target.sessionId);
      await c.send("Runtime.enable", {}, target.sessionId);
      // Browser-side messages (CSP violations, blocked requests) arrive through the Log domain.
      await c.send("Log.enable", {}, target.sessionId).catch(() => {});
    });
    return capture;
  }

  /** Frames of sockets opened by targets of this type (e.g. "iframe" for the chat frame). */
  framesFrom(type: TargetType): readonly WsFrame[] {
    return this.frames.filter((f) => f.targetType === type);
  }

  private onEvent(event: CdpEvent): void {
    const target = this.targets.bySession(event.sessionId);
    if (!target) return;
    const key = `${event.sessionId}/${String(event.params.requestId)}`;
    switch (event.method) {
      case "Network.webSocketCreated": {
        this.socketUrls.set(key, String(event.params.url));
        const socket: TimedRequest = {
          targetType: target.type,
          url: String(event.params.url),
          startedAt: performance.now(),
          finishedAt: null,
          bytes: 0,
        };
        this.timeline.push(socket);
        return;
      }
      case "Network.webSocketFrameSent":
      case "Network.webSocketFrameReceived": {
        const response = event.params.response as WsResponse;
        this.frames.push({
          direction: event.method === "Network.webSocketFrameSent" ? "sent" : "received",
          targetType: target.type,
          targetUrl: target.url,
          socketUrl: this.socketUrls.get(key) ?? "",
          opcode: response.opcode,
          bytes: payloadBytes(response),
        });
        return;
      }
      case "Network.requestWillBeSent": {
        const request = event.params.request as { url: string; method: string; postData?: string };
        // A redirect repeats the request id: the earlier hop is finished by then.
        const earlier = this.timed.get(key);
        if (earlier && earlier.finishedAt === null) earlier.finishedAt = performance.now();
        const timed: TimedRequest = {
          targetType: target.type,
          url: request.url,
          startedAt: performance.now(),
          finishedAt: null,
          bytes: 0,
        };
        this.timed.set(key, timed);
        if (event.params.type === "Document") this.documents.set(String(event.params.requestId), timed);
        this.timeline.push(timed);
        this.requests.push({
          targetType: target.type,
          url: request.url,
          method: request.method,
          body: request.postData ?? "",
        });
        return;
      }
      case "Network.loadingFinished": {
        const bytes = Number(event.params.encodedDataLength ?? 0);
        const requestId = String(event.params.requestId);
        const timed = this.timed.get(key) ?? this.documents.get(requestId);
        if (timed) {
          timed.finishedAt = performance.now();
          timed.bytes = bytes;
          this.timed.delete(key);
          this.documents.delete(requestId);
        }
        this.transferred.set(target.type, (this.transferred.get(target.type) ?? 0) + bytes);
        return;
      }
      case "Runtime.consoleAPICalled": {
        const args = event.params.args as { value?: unknown; description?: string }[];
        const text = args
          .map((a) => (a.value !== undefined ? String(a.value) : (a.description ?? "")))
          .join(" ");
        this.console.push({ targetType: target.type, text });
        return;
      }
      case "Runtime.exceptionThrown": {
        const details = event.params.exceptionDetails as {
          text?: string;
          exception?: { description?: string };
        };
        this.console.push({
          targetType: target.type,
          text: `exception: ${details.exception?.description ?? details.text ?? ""}`,
        });
        return;
      }
      case "Log.entryAdded": {
        const entry = event.params.entry as { level: string; text: string; url?: string };
        this.console.push({
          targetType: target.type,
          text: `log ${entry.level}: ${entry.text} ${entry.url ?? ""}`,
        });
        return;
      }
      default:
        return;
    }
  }
}
