/**
 * Quick-exit gesture: Shift pressed three times within `windowMs`. Pure (time passed in) so the
 * loader and the frame share it and tests need no clock. Auto-repeat does not count: holding
 * Shift while typing capitals must never throw someone out of their chat.
 */
export const TRIPLE_SHIFT_WINDOW_MS = 1500;

export type KeyPress = Readonly<{ key: string; repeat: boolean }>;

export function createTripleShift(
  windowMs: number = TRIPLE_SHIFT_WINDOW_MS,
): (press: KeyPress, now: number) => boolean {
  let presses: number[] = [];
  return (press, now) => {
    if (press.key !== "Shift") {
      presses = [];
      return false;
    }
    if (press.repeat) return false;
    presses = [...presses.filter((t) => now - t <= windowMs), now];
    if (presses.length < 3) return false;
    presses = [];
    return true;
  };
}
