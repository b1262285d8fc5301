/**
 * A fixed-window request budget per key (a client's keyed hash: no address is held). Threat:
 * scripted polling of a public endpoint, such as the salt look-up, to watch for changes.
 */
export type RequestBudget = Readonly<{ take: (key: string) => boolean; size: () => number }>;

const MAX_KEYS = 100_000;

export function createRequestBudget(perWindow: number, windowMs: number, now: () => number): RequestBudget {
  const windows = new Map<string, { start: number; used: number }>();
  return {
    take(key) {
      const t = now();
      if (windows.size >= MAX_KEYS) {
        for (const [k, w] of windows) if (w.start + windowMs <= t) windows.delete(k);
      }
      let w = windows.get(key);
      if (!w || w.start + windowMs <= t) {
        w = { start: t, used: 0 };
        windows.set(key, w);
      }
      if (w.used >= perWindow) return false;
      w.used++;
      return true;
    },
    size: () => windows.size,
  };
}
