/**
 * Leaves the partner page at once: blank it, drop the chat frame, and replace the current
 * history entry with a neutral page so the Back button does not lead to the helpline.
 * `location.replace` (not `assign`) is the point: the partner page leaves no history entry.
 */
export function leaveNow(exitUrl: string, removeFrame: () => void, replace: (url: string) => void): void {
  document.documentElement.style.setProperty("visibility", "hidden", "important");
  removeFrame();
  replace(exitUrl);
}
