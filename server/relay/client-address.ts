import { isIPv6 } from "node:net";

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

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a dotted IPv4 tail split). */
function hextets(address: string): number[] {
  let text = address;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const parse = (part: string) => (part === "" ? [] : part.split(":").map((g) => Number.parseInt(g, 16)));
  const [head = "", tail] = text.split("::");
  if (tail === undefined) return parse(head);
  const h = parse(head);
  const t = parse(tail);
  return [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t];
}

/**
 * What one client holds queue places as (admission.ts). Threat: a per-address bound left by
 * changing address. An IPv6 client is given a whole /64 (a home connection, a phone), so 2^64
 * addresses to choose from: its /64 is the client. An IPv4 address written as IPv4-mapped IPv6
 * (`::ffff:a.b.c.d`, as a dual-stack socket reports it) is that IPv4 address. Anything else
 * (IPv4, or what a misconfigured proxy forwarded) stays as it is.
 */
export function addressGroup(address: string | undefined): string | undefined {
  if (address === undefined) return undefined;
  // A zone index (`%eth0`) names the local interface, not the client.
  const bare = address.replace(/%.*$/, "");
  if (!isIPv6(bare)) return address;
  const g = hextets(bare);
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    const [hi = 0, lo = 0] = g.slice(6);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return `${g
    .slice(0, 4)
    .map((x) => x.toString(16))
    .join(":")}::/64`;
}
