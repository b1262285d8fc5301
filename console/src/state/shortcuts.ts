/**
 * Keyboard shortcuts. Matching uses `code` (physical key), not `key`, because Alt+letter types a
 * different character on some layouts (macOS, Urdu keyboards) while the physical key is stable.
 */
export type ShortcutAction =
  | Readonly<{ type: "take-next" }>
  | Readonly<{ type: "switch-chat"; index: number }>
  | Readonly<{ type: "send" }>
  | Readonly<{ type: "close-dialog" }>
  | Readonly<{ type: "help" }>
  | Readonly<{ type: "canned" }>
  | Readonly<{ type: "referrals" }>
  | Readonly<{ type: "end-chat" }>
  | Readonly<{ type: "transfer" }>
  | Readonly<{ type: "focus-composer" }>;

export type KeyInput = Readonly<{
  code: string;
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  /** The event comes from a text field (plain keys there are typing, not commands). */
  inField: boolean;
}>;

const altLetters: Readonly<Record<string, ShortcutAction>> = {
  KeyN: { type: "take-next" },
  KeyC: { type: "canned" },
  KeyR: { type: "referrals" },
  KeyE: { type: "end-chat" },
  KeyT: { type: "transfer" },
  KeyH: { type: "help" },
  KeyM: { type: "focus-composer" },
};

export function matchShortcut(input: KeyInput): ShortcutAction | null {
  if (input.key === "Escape") return { type: "close-dialog" };
  if ((input.ctrlKey || input.metaKey) && input.key === "Enter") return { type: "send" };
  if (input.altKey && !input.ctrlKey && !input.metaKey) {
    const digit = /^Digit([1-9])$/.exec(input.code);
    if (digit) return { type: "switch-chat", index: Number(digit[1]) - 1 };
    return altLetters[input.code] ?? null;
  }
  if (!input.inField && input.key === "?" && !input.ctrlKey && !input.metaKey && !input.altKey)
    return { type: "help" };
  return null;
}

/** The list shown in the help dialog: keys and the catalogue key that describes them. */
export const SHORTCUT_HELP = [
  { keys: "Alt+N", action: "shortcut.takeNext" },
  { keys: "Alt+1 … Alt+9", action: "shortcut.switchChat" },
  { keys: "Ctrl+Enter", action: "shortcut.send" },
  { keys: "Alt+M", action: "shortcut.focusComposer" },
  { keys: "Alt+C", action: "shortcut.canned" },
  { keys: "Alt+R", action: "shortcut.referrals" },
  { keys: "Alt+T", action: "shortcut.transfer" },
  { keys: "Alt+E", action: "shortcut.endChat" },
  { keys: "Alt+H, ?", action: "shortcut.help" },
  { keys: "Esc", action: "shortcut.closeDialog" },
] as const;
