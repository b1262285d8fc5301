/**
 * Content negotiation for precompressed static files. Only the codings the build writes are
 * offered, best first; a coding the browser refuses (`br;q=0`) or does not name is never sent.
 */
export type Coding = "br" | "gzip";
export type Encoding = Coding | "identity";

const PREFERENCE: readonly Coding[] = ["br", "gzip"];

/** The codings the request accepts, best first (empty: send identity). */
export function acceptedCodings(header: string | undefined): readonly Coding[] {
  if (!header) return [];
  const weights = new Map<string, number>();
  for (const part of header.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(name.trim(), Number.isFinite(weight) ? weight : 0);
  }
  const star = weights.get("*");
  return PREFERENCE.filter((coding) => (weights.get(coding) ?? star ?? 0) > 0);
}

/** File suffix the build writes for each coding (scripts/precompress.ts). */
export const CODING_SUFFIX: Readonly<Record<Coding, string>> = { br: ".br", gzip: ".gz" };
