/**
 * Where an arrow, Home or End key moves in a row of tabs (the ARIA tabs pattern): wrapping at
 * both ends, with left and right swapped when the row runs right to left. Null for other keys.
 */
export function tabKeyTarget(key: string, rtl: boolean, current: number, count: number): number | null {
  if (count === 0) return null;
  const from = Math.max(0, current);
  const forward = rtl ? "ArrowLeft" : "ArrowRight";
  const back = rtl ? "ArrowRight" : "ArrowLeft";
  switch (key) {
    case forward:
      return (from + 1) % count;
    case back:
      return (from - 1 + count) % count;
    case "Home":
      return 0;
    case "End":
      return count - 1;
    default:
      return null;
  }
}
