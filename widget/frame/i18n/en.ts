import type { EndReason, MineState, StartError, WaitingPhase } from "../state/types.ts";

/**
 * English catalogue. It defines the shape every other catalogue must match (catalogue.ts), so
 * a missing or misspelt key in Urdu is a compile error. Words only; no markup.
 */
export const en = {
  appName: "Sahara",
  quickExit: "Quick exit",
  quickExitHint: "Leaves this page at once and erases the chat. You can also press Shift three times.",
  hide: "Hide chat window",
  language: "Language",
  loading: "Opening a private chat…",

  closedTitle: "We are closed right now",
  closedBody: "You can reach a counselor during our opening hours. Nothing you do here is saved.",
  hoursTitle: "Opening hours",
  hoursHelpline: (zone: string) => `Helpline time (${zone})`,
  hoursYours: "Your time",
  hoursSameZone: "Shown in your time zone.",
  hoursClosedDay: "Closed",
  holidaysTitle: "Closed on",
  nextOpening: (helpline: string, yours: string) =>
    `We open again ${helpline} helpline time (${yours} your time).`,
  resourcesTitle: "If you need help now",

  startTitle: "Talk to a counselor",
  startIntro: "A trained counselor will chat with you. You do not have to give your name.",
  forWhomLegend: "Who is this chat for? (optional)",
  forWhomSelf: "Me",
  forWhomOther: "Someone I know",
  privacyTitle: "Your privacy",
  privacyNote:
    "Your messages are encrypted on this device and only the counselor can read them. Nothing is stored on this device or on our server: when the chat ends, it is erased.",
  startButton: "Start chat",
  startError: {
    "config-failed": "We could not load the helpline's details. You can still try to start a chat.",
    "closed-now": "The helpline has just closed.",
    "queue-full": "All counselors are busy and the queue is full. Please try again in a few minutes.",
    "rate-limited": "Too many attempts. Please wait a minute and try again.",
    "connect-failed": "We could not connect. Check your connection and try again.",
    "pow-failed": "Setting up the secure connection failed. Please try again.",
  } satisfies Record<StartError, string>,

  waitingTitle: "Connecting you to a counselor",
  waitingPhase: {
    connecting: "Connecting securely…",
    solving: "Preparing a secure connection…",
    joining: "Joining the queue…",
    queued: "You are in the queue.",
    verifying: "A counselor is joining. Checking their identity…",
  } satisfies Record<WaitingPhase, string>,
  progressLabel: "Secure connection setup",
  queuePosition: (position: number) =>
    position <= 1 ? "You are next." : `You are number ${position} in the queue.`,
  estimatedWait: (minutes: number) =>
    minutes <= 1 ? "Estimated wait: about a minute." : `Estimated wait: about ${minutes} minutes.`,
  leaveQueue: "Leave the queue",

  chatWith: (name: string) => `Chat with ${name}`,
  counselorPending: "Waiting for a counselor…",
  safetyCode: "Safety code",
  safetyCodeHelp: "Your counselor sees the same code. If theirs is different, end the chat.",
  transcript: "Conversation",
  you: "You",
  messageLabel: "Your message",
  send: "Send",
  typing: (name: string) => `${name} is typing…`,
  messageState: {
    sending: "Sending",
    sent: "Sent",
    delivered: "Delivered",
    read: "Read",
    undelivered: "Not delivered",
  } satisfies Record<MineState, string>,
  joined: (name: string) => `${name} joined the chat.`,
  transferring: "Your counselor is handing the chat to a colleague. Please wait.",
  reconnected: "Connected again.",
  reconnecting: "Connection lost. Reconnecting…",
  counselorAway: "Your counselor's connection dropped. Please stay here: they will usually be back shortly.",
  endChat: "End chat",

  endedTitle: "This conversation has been erased",
  endedBody: "Nothing from it is kept on this device.",
  endReason: {
    "you-ended": "You ended the chat.",
    "counselor-ended": "The counselor ended the chat.",
    idle: "The chat ended because it was inactive.",
    "page-hidden": "The chat ended when the page was left.",
    "server-shutdown": "The service restarted. Please start a new chat.",
    "transfer-failed": "The chat could not be handed over. Please start a new chat.",
    expired: "The chat expired.",
    "verify-failed":
      "We could not confirm the counselor's identity, so the chat was stopped to keep you safe.",
    "connection-lost": "The connection was lost for too long.",
    "relay-error": "Something went wrong with the connection.",
  } satisfies Record<EndReason, string>,
  startAgain: "Start a new chat",
};
