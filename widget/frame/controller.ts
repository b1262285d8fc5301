import type { Language } from "../../shared/protocol/envelopes.ts";
import type { WidgetConfig } from "../../shared/protocol/http/widget-config.ts";
import type { PartnerId } from "../../shared/protocol/ids.ts";
import type { ToFrame } from "../control/messages.ts";
import { createTripleShift } from "../control/triple-shift.ts";
import type { ImagePacer } from "../../shared/protocol/image-pacer.ts";
import type { ImageReceiver, ReceiverEvent } from "../../shared/protocol/image-transfer.ts";
import type { Payload } from "../../shared/protocol/payloads.ts";
import type { Actions } from "./actions.ts";
import type { PacerClock } from "../../shared/protocol/pacer.ts";
import { type ChatFlow, startChatFlow } from "./adapters/chat-flow.ts";
import { earlyRelay } from "./adapters/early-relay.ts";
import type { ParentLink } from "./adapters/parent-link.ts";
import type { RelayTransport } from "./adapters/relay-socket.ts";
import { isIdle } from "./state/idle.ts";
import { initialState } from "./state/initial.ts";
import { createStore, type Store } from "./state/store.ts";
import { type CryptoClient, createCryptoClient, type WorkerLike } from "./worker/client.ts";

/** Everything the controller touches outside itself, so DOM tests can pass fakes. */
export type ControllerDeps = Readonly<{
  win: Window;
  now: () => number;
  orgKey: Uint8Array | null;
  /** The language the loader chose, as the server wrote it on <html lang> (see index.html). */
  initialLanguage?: Language;
  spawnWorker: () => Promise<WorkerLike>;
  connectRelay: () => RelayTransport;
  fetchConfig: (partner: PartnerId, language: Language) => Promise<WidgetConfig | null>;
  /** The signed revocation list's bytes, or null when none could be had (adapters/revocations.ts). */
  fetchRevocations: () => Promise<Uint8Array | null>;
  linkParent: (onMessage: (message: ToFrame) => void) => ParentLink;
  /**
   * The partner named in this frame's URL: the only one whose pages may frame it (the server's
   * frame-ancestors). An `init` naming another partner is ignored.
   */
  framedFor: PartnerId | null;
  newId: () => string;
  /** Timers for the frame pacer (tests drive them); the system clock otherwise. */
  pacerClock?: PacerClock;
}>;

type Sending = typeof import("./adapters/image-send.ts");

export type Controller = Readonly<{ store: Store; actions: Actions; dispose: () => void }>;

const TICK_MS = 30_000;
/** How often a half-received image is checked for a stall (shared/protocol IMAGE_STALL_MS). */
const IMAGE_CHECK_MS = 10_000;
const TYPING_IDLE_MS = 3000;
/** How long quick exit waits for `leave` to leave the socket before telling the loader to go. */
const QUICK_EXIT_FLUSH_MS = 400;
/** A stalled revocation fetch must not keep a survivor from starting (see adapters/revocations.ts). */
const REVOCATIONS_WAIT_MS = 5000;

/**
 * Wires the pure state machine to the world: the loader, the config endpoint, the crypto
 * worker and the relay. Every way out — End chat, Quick exit, `pagehide`, idle, the relay
 * ending the chat, a failed verification — lands in `teardown`, which zeroes keys in the worker,
 * terminates it, closes the socket, and lets the reducer drop the transcript.
 */
export function createController(deps: ControllerDeps): Controller {
  const store = createStore(initialState(deps.now(), deps.initialLanguage));
  let crypto: Promise<CryptoClient | null> | null = null;
  /** The same client once loaded, for the synchronous wipe on `pagehide`. */
  let loadedCrypto: CryptoClient | null = null;
  let flow: ChatFlow | null = null;
  /** The relay connection opened at the start screen, not yet handed to a chat flow. */
  let early: RelayTransport | null = null;
  let typingTimer: ReturnType<typeof setTimeout> | null = null;
  let typingSent = false;
  /** Object URLs of prepared and sent images: revoked (and their bytes released) on every wipe. */
  const imageUrls = new Set<string>();
  let pacer: ImagePacer | null = null;
  let imageQuota: ReturnType<Sending["createImageQuota"]> | null = null;
  let sending: Promise<Sending> | null = null;
  const loadSending = (): Promise<Sending> => {
    sending ??= import("./adapters/image-send.ts");
    return sending;
  };
  /** Images from the counselor: put together one part after another, in the order opened. */
  let receiver: ImageReceiver | null = null;
  let receiving: Promise<unknown> = Promise.resolve();
  let stallCheck: ReturnType<typeof setInterval> | null = null;
  const dropImages = () => {
    pacer?.clear();
    pacer = null;
    imageQuota = null;
    // A partial image is zeroed; parts still waiting for the module find no receiver.
    receiver?.wipe();
    receiver = null;
    receiving = Promise.resolve();
    if (stallCheck !== null) clearInterval(stallCheck);
    stallCheck = null;
    for (const url of imageUrls) URL.revokeObjectURL(url);
    imageUrls.clear();
  };

  // The worker (and libsodium inside it) loads while the first screen shows.
  // A load that failed (a download the network dropped) is not kept: the next Start tries again.
  const loadCrypto = (): Promise<CryptoClient | null> => {
    if (crypto !== null) return crypto;
    const loading = (async (): Promise<CryptoClient | null> => {
      if (deps.orgKey === null) return null;
      try {
        const list = Promise.race([
          deps.fetchRevocations().catch(() => null),
          new Promise<null>((resolve) => setTimeout(() => resolve(null), REVOCATIONS_WAIT_MS)),
        ]);
        const client = createCryptoClient(await deps.spawnWorker());
        if (!(await client.init(deps.orgKey)).ok) {
          void client.wipe();
          return null;
        }
        // A list that fails verification is ignored like a missing one: certificates stay
        // short-lived, and whoever could forge a bad list could as well withhold it.
        const revocations = await list;
        if (revocations !== null) await client.revocations(revocations, deps.now());
        loadedCrypto = client;
        return client;
      } catch {
        return null;
      }
    })();
    crypto = loading;
    void loading.then((client) => {
      if (client === null && crypto === loading) crypto = null;
    });
    return loading;
  };

  const teardown = async (reason: "ended" | "quick-exit" | "wiped") => {
    const running = flow;
    flow = null;
    early?.close();
    early = null;
    if (typingTimer !== null) clearTimeout(typingTimer);
    typingTimer = null;
    typingSent = false;
    dropImages();
    const wiping = crypto;
    crypto = null;
    loadedCrypto = null;
    void wiping?.then((client) => client?.wipe());
    if (running) {
      await running.leave(reason);
      running.close();
    }
  };

  const loadConfig = async () => {
    const state = store.get();
    if (state.partner === null) return;
    const config = await deps.fetchConfig(state.partner, state.requestedLanguage ?? state.language);
    store.dispatch(config ? { type: "config-loaded", config } : { type: "config-failed" });
    if (config) parent.send({ type: "ready", exitUrl: config.exitUrl });
    void loadCrypto();
    // While the start screen is read: connect and receive the proof-of-work challenge now.
    if (store.get().screen.type === "start" && deps.orgKey !== null)
      early ??= earlyRelay(deps.connectRelay());
  };

  // Any way into `ended` wipes. (Quick exit wipes itself, with its own leave reason.) So does an
  // attempt that failed before a place in the queue (back to the start or closed screen): its
  // connection is closed on purpose, so a join the relay handles late (a slow link answered
  // after the frame stopped waiting) finds nobody and queues nothing, and nothing of it listens
  // on when the survivor tries again with a fresh connection and worker.
  store.subscribe((next, previous) => {
    if (next.screen.type === "ended" && previous.screen.type !== "ended") void teardown("wiped");
    if (previous.screen.type === "waiting" && (next.screen.type === "start" || next.screen.type === "closed"))
      void teardown("wiped");
    if (next.unread && !previous.unread) parent.send({ type: "unread" });
  });

  const quickExit = async () => {
    if (store.get().screen.type === "blank") return;
    const exitUrl = store.get().config?.exitUrl;
    const running = flow;
    // `leave` goes out first, in this very task: the relay ends the session and tells the
    // counselor "quick exit" even if the page is gone a moment later. (A sealed `visitor-left`
    // would need a round trip to the worker first, and the loader hides this frame at once,
    // which lets the browser throttle its timers: the leave sometimes never left.)
    const left = running?.leave("quick-exit") ?? Promise.resolve();
    store.dispatch({ type: "quick-exit" });
    parent.send(exitUrl ? { type: "quick-exit", exitUrl } : { type: "quick-exit" });
    await Promise.race([left, new Promise((resolve) => setTimeout(resolve, QUICK_EXIT_FLUSH_MS))]);
    await teardown("quick-exit");
    parent.send({ type: "left" });
  };

  /** The loader shows the panel when it creates the frame; it says so whenever that changes. */
  let panelShown = true;
  const onVisibility = () => flow?.flushRead();
  const parent = deps.linkParent((message) => {
    switch (message.type) {
      case "init":
        if (store.get().partner !== null) return;
        if (message.partner !== deps.framedFor) return;
        store.dispatch({
          type: "init",
          partner: message.partner,
          language: message.language ?? null,
          now: deps.now(),
        });
        void loadConfig();
        return;
      case "quick-exit":
        void quickExit();
        return;
      case "shown":
        panelShown = message.shown;
        if (message.shown) store.dispatch({ type: "shown" });
        flow?.flushRead();
        return;
      default: {
        const never: never = message;
        return never;
      }
    }
  });

  const start = async () => {
    store.dispatch({ type: "start-requested", now: deps.now() });
    if (store.get().screen.type !== "waiting") return;
    const client = await loadCrypto();
    if (!client)
      return store.dispatch({
        type: "start-failed",
        error: deps.orgKey ? "connect-failed" : "config-failed",
      });
    const relay = early ?? deps.connectRelay();
    early = null;
    const running = startChatFlow(
      store,
      client,
      relay,
      deps.now,
      () => panelShown && deps.win.document.visibilityState === "visible",
      deps.pacerClock,
      imagePart,
    );
    flow = running;
  };

  /** The image pacer of the running chat, created with the first image. */
  const imagePacer = async (): Promise<ImagePacer | null> => {
    const { createImagePacer, createImageQuota } = await loadSending();
    const running = flow;
    if (running === null) return null;
    if (pacer !== null) return pacer;
    imageQuota = createImageQuota();
    pacer = createImagePacer({
      send: (part, last) => running.send(part, false, last ? part.id : null),
      inFlight: () => {
        const screen = store.get().screen;
        return screen.type === "chat" ? screen.session.unacked.length : 0;
      },
      schedule: (run, ms) => {
        const timer = setTimeout(run, ms);
        return () => clearTimeout(timer);
      },
      onProgress: () => {},
      onDone: (id, sent) => {
        if (!sent) store.dispatch({ type: "image-failed", id });
      },
    });
    return pacer;
  };

  const received = (event: ReceiverEvent) => {
    if (event.type === "complete") {
      const { image } = event;
      const blob = new Blob([image.bytes as Uint8Array<ArrayBuffer>], { type: image.mime });
      // The Blob holds its own copy: the reassembly buffer goes now.
      image.bytes.fill(0);
      const url = URL.createObjectURL(blob);
      imageUrls.add(url);
      const { id, width, height } = image;
      store.dispatch({ type: "image-received", id, url, width, height, now: deps.now() });
    } else if (event.type === "failed") {
      store.dispatch({
        type: "image-received",
        id: event.id,
        url: null,
        width: 0,
        height: 0,
        now: deps.now(),
      });
    }
  };
  const imagePart = (part: Extract<Payload, { type: "image" | "image-chunk" }>) => {
    const running = flow;
    receiving = receiving
      .then(async () => {
        const { createImageReceiver } = await loadSending();
        // Wiped while the module loaded: nothing of this chat may be put together now.
        if (flow === null || flow !== running) return;
        receiver ??= createImageReceiver();
        for (const event of receiver.accept(part, deps.now())) received(event);
        stallCheck ??= setInterval(() => {
          for (const event of receiver?.check(deps.now()) ?? []) received(event);
        }, IMAGE_CHECK_MS);
      })
      .catch(() => undefined);
  };

  const stopTyping = () => {
    if (typingTimer !== null) clearTimeout(typingTimer);
    typingTimer = null;
    if (typingSent) void flow?.send({ type: "typing", active: false });
    typingSent = false;
  };

  const actions: Actions = {
    chooseLanguage: (language) => store.dispatch({ type: "language-chosen", language, now: deps.now() }),
    chooseForWhom: (value) => store.dispatch({ type: "for-whom-chosen", value, now: deps.now() }),
    start: () => void start(),
    send: (body) => {
      stopTyping();
      const id = deps.newId();
      store.dispatch({ type: "message-composed", id, body, now: deps.now() });
      void flow?.send({ type: "text", id, body });
    },
    prepareImage: async (file) => {
      const { encodeImage } = await loadSending();
      const encoded = await encodeImage(file);
      if (!encoded.ok) return encoded.error;
      if (flow === null) return "unsupported";
      const url = URL.createObjectURL(encoded.value.blob);
      imageUrls.add(url);
      return { url, blob: encoded.value.blob, width: encoded.value.width, height: encoded.value.height };
    },
    sendImage: async (image) => {
      const running = await imagePacer();
      const { splitImage } = await loadSending();
      if (running === null || imageQuota === null || !imageUrls.has(image.url)) return "unsupported";
      const taken = imageQuota.take(image.blob.size, deps.now());
      if (!taken.ok) return taken.error;
      const id = deps.newId();
      const bytes = new Uint8Array(await image.blob.arrayBuffer());
      const parts = splitImage({ id, mime: "image/jpeg", bytes, width: image.width, height: image.height });
      bytes.fill(0);
      if (!parts.ok) return "too-large";
      store.dispatch({
        type: "image-composed",
        id,
        url: image.url,
        width: image.width,
        height: image.height,
        now: deps.now(),
      });
      running.enqueue(parts.value);
      return null;
    },
    discardImage: (image) => {
      URL.revokeObjectURL(image.url);
      imageUrls.delete(image.url);
    },
    typing: (active) => {
      if (!active) return stopTyping();
      if (!typingSent) void flow?.send({ type: "typing", active: true });
      typingSent = true;
      if (typingTimer !== null) clearTimeout(typingTimer);
      typingTimer = setTimeout(stopTyping, TYPING_IDLE_MS);
    },
    endChat: async () => {
      const running = flow;
      if (running) {
        await running.send({ type: "end" }, true);
        await running.leave("ended");
      }
      store.dispatch({ type: "wipe", reason: "you-ended" });
    },
    quickExit: () => void quickExit(),
    restart: () => {
      store.dispatch({ type: "restart", now: deps.now() });
      void loadConfig();
    },
    // With nothing running the loader drops the frame rather than hiding it (see `close`).
    hide: () => {
      panelShown = false;
      store.dispatch({ type: "hidden" });
      parent.send(isIdle(store.get().screen) ? { type: "close", drop: true } : { type: "close" });
    },
    activity: () => store.dispatch({ type: "activity", now: deps.now() }),
  };

  const tripleShift = createTripleShift();
  const onKeyDown = (event: KeyboardEvent) => {
    if (tripleShift(event, deps.now())) return void quickExit();
    actions.activity();
    if (event.key === "Escape" && !event.defaultPrevented) actions.hide();
  };
  // Back/forward cache or navigation: nothing may survive into a restored page.
  const onPageHide = () => {
    early?.closeNow();
    early = null;
    flow?.leaveNow();
    loadedCrypto?.wipeNow();
    store.dispatch({ type: "wipe", reason: "page-hidden" });
  };
  const ticker = deps.win.setInterval(() => store.dispatch({ type: "tick", now: deps.now() }), TICK_MS);
  deps.win.document.addEventListener("keydown", onKeyDown, true);
  deps.win.document.addEventListener("pointerdown", actions.activity, true);
  deps.win.addEventListener("pagehide", onPageHide);
  deps.win.document.addEventListener("visibilitychange", onVisibility);

  return {
    store,
    actions,
    dispose: () => {
      deps.win.clearInterval(ticker);
      deps.win.document.removeEventListener("keydown", onKeyDown, true);
      deps.win.document.removeEventListener("pointerdown", actions.activity, true);
      deps.win.removeEventListener("pagehide", onPageHide);
      deps.win.document.removeEventListener("visibilitychange", onVisibility);
      parent.dispose();
      void teardown("wiped");
    },
  };
}
