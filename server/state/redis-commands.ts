import { createHash } from "node:crypto";

/**
 * The few Redis calls the shared state needs, as raw commands: one narrow seam that a
 * `redis` client (server/state/redis-connection.ts) or a test double can provide, and that
 * keeps the stores independent of a client library's option shapes.
 */
export type RedisReply = string | number | null | RedisReply[];

export type RedisCommands = Readonly<{
  send: (args: readonly string[]) => Promise<RedisReply>;
}>;

export const asString = (reply: RedisReply): string | null => (typeof reply === "string" ? reply : null);

export const asNumber = (reply: RedisReply): number =>
  typeof reply === "number" ? reply : typeof reply === "string" ? Number(reply) : 0;

export const asStrings = (reply: RedisReply): (string | null)[] =>
  Array.isArray(reply) ? reply.map((r) => (typeof r === "string" ? r : null)) : [];

const digests = new Map<string, string>();
const digestOf = (script: string) => {
  let sha = digests.get(script);
  if (!sha) {
    sha = createHash("sha1").update(script).digest("hex");
    digests.set(script, sha);
  }
  return sha;
};

/**
 * Runs a script with keys and arguments by its SHA-1 (EVALSHA), and sends the text (EVAL) only
 * when Redis does not know it yet (NOSCRIPT: first use, or after a restart). Measured in
 * bench/cluster.bench.ts: sending the text of the presence script on every relayed frame made
 * writing commands to Redis the largest cost of a node.
 */
export async function evalScript(
  redis: RedisCommands,
  script: string,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<RedisReply> {
  const rest = [String(keys.length), ...keys, ...args.map(String)];
  try {
    return await redis.send(["EVALSHA", digestOf(script), ...rest]);
  } catch (error) {
    if (!String((error as Error)?.message).startsWith("NOSCRIPT")) throw error;
    return redis.send(["EVAL", script, ...rest]);
  }
}
