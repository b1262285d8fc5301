/**
 * Which events deserve a sound or a desktop notification. A notification never carries chat
 * text: the operating system keeps notifications in its history, where a survivor's words would
 * outlive the chat.
 */
export type NotifyEvent =
  | Readonly<{ type: "assigned"; transfer: boolean }>
  | Readonly<{ type: "message"; onScreen: boolean }>
  | Readonly<{ type: "queue-grew"; available: boolean }>
  | Readonly<{ type: "visitor-left" }>;

export type NotifyDecision = Readonly<{
  beep: boolean;
  /** Catalogue key of the notification title, or null for none. */
  desktop: "notify.newChat" | "notify.transferredChat" | "notify.newMessage" | "notify.waiting" | null;
}>;

export function notifyDecision(event: NotifyEvent, windowVisible: boolean): NotifyDecision {
  switch (event.type) {
    case "assigned":
      return {
        beep: true,
        desktop: windowVisible ? null : event.transfer ? "notify.transferredChat" : "notify.newChat",
      };
    case "message":
      return event.onScreen && windowVisible
        ? { beep: false, desktop: null }
        : { beep: true, desktop: windowVisible ? null : "notify.newMessage" };
    case "queue-grew":
      return event.available
        ? { beep: !windowVisible, desktop: windowVisible ? null : "notify.waiting" }
        : { beep: false, desktop: null };
    case "visitor-left":
      return { beep: false, desktop: null };
    default: {
      const never: never = event;
      return never;
    }
  }
}
