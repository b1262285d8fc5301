import type { SessionInfo } from "../../../shared/protocol/http/index.ts";
import type { StaffStatus } from "../../../shared/protocol/index.ts";
import type { Reference, Services, Workspace } from "../components/services.tsx";
import type { CryptoClient } from "../crypto/crypto-client.ts";
import { chatsReducer, initialChats } from "../state/chats.ts";
import { deskReducer, initialDesk } from "../state/desk.ts";
import type { NotifyEvent } from "../state/notify-policy.ts";
import { createStore } from "../state/store.ts";
import { initialWellbeing, wellbeingReducer } from "../state/wellbeing.ts";
import { initialSide, sideReducer } from "../state/side-conversations.ts";
import { createChatController } from "./chat-controller.ts";
import { createSideController } from "./side-controller.ts";
import type { StaffTransport } from "./staff-socket.ts";

export type WorkspaceDeps = Readonly<{
  services: Services;
  crypto: CryptoClient;
  connect: () => StaffTransport;
  notify: (event: NotifyEvent) => void;
  isVisible: () => boolean;
  /** The status to take once connected (what the counselor had chosen before a forced re-login). */
  wantedStatus?: StaffStatus;
}>;

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Everything that exists only while unlocked; `close` tears it down and wipes chat text. */
export async function openWorkspace(
  unlocked: Readonly<{ session: SessionInfo; canCertify: boolean; certified: boolean }>,
  deps: WorkspaceDeps,
): Promise<Readonly<{ workspace: Workspace; transport: StaffTransport; close: () => void }>> {
  const { api, now } = deps.services;
  const fetchers = {
    directory: async () => {
      const r = await api.directory();
      return r.ok ? r.value.staff : null;
    },
    canned: async () => {
      const r = await api.canned();
      return r.ok ? r.value.responses : null;
    },
    referrals: async () => {
      const r = await api.referrals();
      return r.ok ? r.value.referrals : null;
    },
  } satisfies { [K in keyof Reference]: () => Promise<Reference[K] | null> };
  const [directory, canned, referrals] = await Promise.all([
    fetchers.directory(),
    fetchers.canned(),
    fetchers.referrals(),
  ]);
  const reference = createStore<Reference, Partial<Reference>>((state, update) => ({ ...state, ...update }), {
    directory: directory ?? [],
    canned: canned ?? [],
    referrals: referrals ?? [],
  });
  // A failed refresh keeps what is there: a picker still works from the list fetched at unlock.
  const refresh = async (part: keyof Reference) => {
    const fresh = await fetchers[part]();
    if (fresh !== null) reference.dispatch({ [part]: fresh });
  };
  const chats = createStore(chatsReducer, initialChats);
  const desk = createStore(deskReducer, initialDesk);
  const wellbeing = createStore(wellbeingReducer, {
    ...initialWellbeing,
    wanted: deps.wantedStatus ?? initialWellbeing.wanted,
  });
  const transport = deps.connect();
  const controller = createChatController({
    transport,
    crypto: deps.crypto,
    chats,
    desk,
    wellbeing,
    now,
    randomId,
    isOnScreen: (id) => chats.getState().activeId === id && deps.isVisible(),
    notify: deps.notify,
  });
  const side = createStore(sideReducer, initialSide);
  const sideController = createSideController({
    transport: transport.side,
    crypto: deps.crypto,
    side,
    chats,
    now,
    randomId,
  });
  transport.onReplaced(() => void sideController.endAll());
  const workspace: Workspace = {
    profile: unlocked.session,
    canCertify: unlocked.canCertify,
    certified: unlocked.certified && unlocked.session.staff.certified,
    controller,
    chats,
    desk,
    wellbeing,
    reference,
    refresh,
    side,
    sideController,
  };
  return {
    workspace,
    transport,
    close: () => {
      transport.close();
      side.dispatch({ type: "wipe-all" });
      chats.dispatch({ type: "wipe-all" });
    },
  };
}
