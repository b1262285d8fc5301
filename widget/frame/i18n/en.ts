import type {
  ConnectStep,
  EndReason,
  MineState,
  StartError,
  StepState,
  WaitingPhase,
} from "../state/types.ts";

/**
 * English catalogue. It defines the shape every other catalogue must match (catalogue.ts), so
 * a missing or misspelt key in Urdu is a compile error. Words only; no markup.
 */
export const en = {
  appName: "Sahara",
  quickExit: "Quick exit",
  quickExitHint: "Leaves this page at once and erases the chat. You can also press Shift three times.",
  /** Visible on the button: says what it does (the chat keeps running; the launcher reopens it). */
  hide: "Hide chat",
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
    "Your messages are encrypted on this device and only the counselor can read them. They are not stored on this device or on our server: when the chat ends, they are erased. Your browser may still note, in the files it uses to reopen tabs, that this page opened the chat. To leave no such note, use a private (incognito) window.",
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
  // Said politely to screen readers as each step begins (the step list shows the same).
  waitingPhase: {
    connecting: "Securing the connection…",
    solving: "Connection secured. Proving you are not a bot…",
    joining: "Check passed. Finding a counselor…",
    queued: "You are in the queue.",
    verifying: "A counselor is joining. Creating a secure channel and checking their identity…",
  } satisfies Record<WaitingPhase, string>,
  connectSteps: "Connecting, step by step",
  connectStep: {
    secure: "Securing the connection",
    human: "Proving you are not a bot",
    counselor: "Waiting for a counselor",
    channel: "Creating a secure channel",
  } satisfies Record<ConnectStep, string>,
  stepState: { done: "done", current: "in progress", todo: "not started yet" } satisfies Record<
    StepState,
    string
  >,
  progressLabel: "Secure connection setup",
  queuePosition: (position: number) =>
    position <= 1 ? "You are next." : `You are number ${position} in the queue.`,
  estimatedWait: (minutes: number) =>
    minutes <= 1 ? "Estimated wait: about a minute." : `Estimated wait: about ${minutes} minutes.`,
  leaveQueue: "Leave the queue",
  noCounselor:
    "No counselor is available right now, so we cannot say how long the wait will be. You can stay in the queue, or use the contacts below.",

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
    failed: "Could not be sent",
  } satisfies Record<MineState, string>,
  imageAlt: "Your screenshot",
  joined: (name: string) => `${name} joined the chat.`,
  transferring: "Your counselor is handing the chat to a colleague. Please wait.",
  reconnected: "Connected again.",
  reconnecting: "Connection lost. Reconnecting…",
  counselorAway: "Your counselor's connection dropped. Please stay here: they will usually be back shortly.",
  endChat: "End chat",
  endConfirm: "End the chat? It will be erased and cannot be brought back.",
  endKeep: "Keep chatting",
  endErase: "End and erase",

  endedTitle: "This conversation has been erased",
  endedBody: "Nothing from it is kept on this device. Hiding this window also takes the chat off this page.",
  endReason: {
    "you-ended": "You ended the chat.",
    "counselor-ended": "The counselor ended the chat.",
    idle: "The chat ended because it was inactive.",
    "page-hidden": "The chat ended when the page was left.",
    "server-shutdown": "The service restarted. Please start a new chat.",
    "transfer-failed": "The chat could not be handed over. Please start a new chat.",
    expired: "The chat expired.",
    "helpline-closed":
      "The helpline has closed for today before a counselor could reach you. We are sorry you had to wait. Please come back when we open again.",
    "verify-failed":
      "We could not confirm the counselor's identity, so the chat was stopped to keep you safe.",
    "connection-lost": "The connection was lost for too long.",
    "relay-error": "Something went wrong with the connection.",
  } satisfies Record<EndReason, string>,
  startAgain: "Start a new chat",
};
