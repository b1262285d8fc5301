/**
 * The client's address as express's `req.ip` computes it under the same TRUST_PROXY setting, so
 * the relay's per-address bound and the HTTP limiters see the same client. `trust`: false (the
 * socket's peer), true (the left-most X-Forwarded-For entry), or a number of trusted proxy hops.
 * The result only ever goes into a keyed hash (admission.ts).
 */
export function clientAddress(
  remote: string | undefined,
  forwardedFor: string | string[] | undefined,
  trust: boolean | number,
): string | undefined {
  if (trust === false || trust === 0) return remote;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? "");
  const forwarded = header
    .split(",")
    .map((a) => a.trim())
    .filter((a) => a.length > 0)
    .reverse();
  const chain = [remote, ...forwarded];
  const hops = trust === true ? chain.length - 1 : Math.min(trust, chain.length - 1);
  return chain[hops];
}
