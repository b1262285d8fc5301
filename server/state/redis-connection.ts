import { createClient } from "redis";
import type { RedisCommands, RedisReply } from "./redis-commands.ts";

export type RedisConnection = Readonly<{
  /** For the stores (raw commands). */
  commands: RedisCommands;
  /** For socket.io's streams adapter, which duplicates it for its blocking reads. */
  client: ReturnType<typeof createClient>;
  close: () => Promise<void>;
}>;

/**
 * Connects to REDIS_URL. Reconnects forever with a capped back-off (a Redis restart is an
 * outage to ride out, not a reason to exit); errors are reported by name only, because client
 * messages can quote the address or credentials.
 */
export async function connectRedis(url: string, onError: (name: string) => void): Promise<RedisConnection> {
  const client = createClient({
    url,
    socket: { reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000) },
  });
  client.on("error", (error: unknown) => onError((error as Error)?.name ?? "Error"));
  await client.connect();
  return {
    client,
    commands: { send: (args) => client.sendCommand([...args]) as Promise<RedisReply> },
    close: async () => {
      try {
        await client.close();
      } catch {
        client.destroy();
      }
    },
  };
}
