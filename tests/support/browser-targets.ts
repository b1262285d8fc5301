import type { CdpConnection, CdpEvent } from "./browser-cdp.ts";

/**
 * Tracks every target of one browser (pages, out-of-process iframes, dedicated, shared and
 * service workers) by auto-attaching recursively in flat mode. New targets start paused
 * (`waitForDebuggerOnStart`) and are resumed only after every registered initializer ran, so a
 * chat frame cannot open its WebSocket before the capture is listening.
 */
export type TargetType = "page" | "iframe" | "worker" | "shared_worker" | "service_worker" | "other";

export type TargetRecord = {
  readonly sessionId: string;
  readonly targetId: string;
  readonly type: TargetType;
  url: string;
  readonly parentSessionId: string | undefined;
  attached: boolean;
};

export type TargetInitializer = (cdp: CdpConnection, target: TargetRecord) => Promise<void>;

type TargetInfo = { targetId: string; type: string; url: string };

function targetType(type: string): TargetType {
  switch (type) {
    case "page":
    case "iframe":
    case "worker":
    case "shared_worker":
    case "service_worker":
      return type;
    default:
      return "other";
  }
}

export class TargetTracker {
  private readonly records = new Map<string, TargetRecord>();
  private readonly initializers: TargetInitializer[] = [];
  private readonly errors: string[] = [];

  private readonly cdp: CdpConnection;

  constructor(cdp: CdpConnection) {
    this.cdp = cdp;
    cdp.on((event) => this.onEvent(event));
  }

  /** Registers a step run on every target (existing and future) before it is resumed. */
  async addInitializer(init: TargetInitializer): Promise<void> {
    this.initializers.push(init);
    await Promise.all(this.attached().map((t) => init(this.cdp, t).catch(() => {})));
  }

  async start(): Promise<void> {
    await this.cdp.send("Target.setDiscoverTargets", { discover: true });
    await this.cdp.send("Target.setAutoAttach", {
      autoAttach: true,
      waitForDebuggerOnStart: true,
      flatten: true,
    });
  }

  /** Every target ever attached, including ones that are gone (attached = false). */
  all(): readonly TargetRecord[] {
    return [...this.records.values()];
  }

  attached(): readonly TargetRecord[] {
    return this.all().filter((t) => t.attached);
  }

  bySession(sessionId: string | undefined): TargetRecord | undefined {
    return sessionId === undefined ? undefined : this.records.get(sessionId);
  }

  /** Attached targets of a type whose URL starts with `origin` (e.g. the helpline's frame). */
  find(type: TargetType, urlPrefix: string): readonly TargetRecord[] {
    return this.attached().filter((t) => t.type === type && t.url.startsWith(urlPrefix));
  }

  /** Initialization failures that were not simply a target going away. */
  initErrors(): readonly string[] {
    return this.errors;
  }

  private onEvent(event: CdpEvent): void {
    switch (event.method) {
      case "Target.attachedToTarget":
        void this.onAttached(event);
        return;
      case "Target.detachedFromTarget": {
        const record = this.records.get(String(event.params.sessionId));
        if (record) record.attached = false;
        return;
      }
      case "Target.targetInfoChanged": {
        const info = event.params.targetInfo as TargetInfo;
        for (const r of this.records.values()) if (r.targetId === info.targetId) r.url = info.url;
        return;
      }
      case "Target.targetDestroyed": {
        for (const r of this.records.values()) if (r.targetId === event.params.targetId) r.attached = false;
        return;
      }
      default:
        return;
    }
  }

  private async onAttached(event: CdpEvent): Promise<void> {
    const info = event.params.targetInfo as TargetInfo;
    const sessionId = String(event.params.sessionId);
    const record: TargetRecord = {
      sessionId,
      targetId: info.targetId,
      type: targetType(info.type),
      url: info.url,
      parentSessionId: event.sessionId,
      attached: true,
    };
    this.records.set(sessionId, record);
    const tolerate = (step: string) => (error: unknown) => {
      // A target may vanish while it is being set up (a navigation, a terminated worker).
      if (record.attached && !this.cdp.isClosed) this.errors.push(`${record.type} ${step}: ${String(error)}`);
    };
    if (record.type === "page" || record.type === "iframe") {
      await this.cdp
        .send(
          "Target.setAutoAttach",
          { autoAttach: true, waitForDebuggerOnStart: true, flatten: true },
          sessionId,
        )
        .catch(tolerate("auto-attach"));
    }
    // Service and shared workers answer no domain command while paused at start: resume them
    // first (their existence is what the tests look for), then instrument.
    const resumeFirst = record.type === "service_worker" || record.type === "shared_worker";
    if (resumeFirst)
      await this.cdp.send("Runtime.runIfWaitingForDebugger", {}, sessionId).catch(tolerate("resume"));
    for (const init of this.initializers) await init(this.cdp, record).catch(tolerate("init"));
    if (!resumeFirst)
      await this.cdp.send("Runtime.runIfWaitingForDebugger", {}, sessionId).catch(tolerate("resume"));
  }
}
