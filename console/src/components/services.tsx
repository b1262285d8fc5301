import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Canned, DirectoryEntry, Referral, SessionInfo } from "../../../shared/protocol/http/index.ts";
import type { Api } from "../adapters/api.ts";
import type { ChatController } from "../adapters/chat-controller.ts";
import type { SideController } from "../adapters/side-controller.ts";
import type { SessionActions } from "../adapters/session.ts";
import type { ChatsAction, ChatsState } from "../state/chats.ts";
import type { Desk, DeskAction } from "../state/desk.ts";
import type { SideAction, SideState } from "../state/side-conversations.ts";
import type { Store } from "../state/store.ts";
import type { Wellbeing, WellbeingAction } from "../state/wellbeing.ts";

/** What every screen may use: the HTTP API, the session steps, and the clock. */
export type Services = Readonly<{ api: Api; session: SessionActions; now: () => number }>;

/** What exists only while unlocked (created at unlock, dropped at lock). */
export type Workspace = Readonly<{
  profile: SessionInfo;
  canCertify: boolean;
  certified: boolean;
  controller: ChatController;
  chats: Store<ChatsState, ChatsAction>;
  desk: Store<Desk, DeskAction>;
  wellbeing: Store<Wellbeing, WellbeingAction>;
  /** Colleagues, canned responses and referrals: fetched at unlock, fetched again when a picker opens. */
  reference: Store<Reference, Partial<Reference>>;
  refresh: (part: keyof Reference) => Promise<void>;
  /** "Ask a supervisor": requests and side conversations, and what acts on them. */
  side: Store<SideState, SideAction>;
  sideController: SideController;
}>;

export type Reference = Readonly<{
  directory: readonly DirectoryEntry[];
  canned: readonly Canned[];
  referrals: readonly Referral[];
}>;

export const ServicesContext = createContext<Services | null>(null);
export const WorkspaceContext = createContext<Workspace | null>(null);

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error("ServicesContext missing");
  return services;
}

export function useWorkspace(): Workspace {
  const workspace = useContext(WorkspaceContext);
  if (!workspace) throw new Error("WorkspaceContext missing");
  return workspace;
}
