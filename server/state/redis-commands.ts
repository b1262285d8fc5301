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

/** EVAL with keys and arguments (scripts are short; Redis caches them by hash). */
export function evalScript(
  redis: RedisCommands,
  script: string,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<RedisReply> {
  return redis.send(["EVAL", script, String(keys.length), ...keys, ...args.map(String)]);
}
