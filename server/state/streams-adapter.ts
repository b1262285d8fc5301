import { createAdapter } from "@socket.io/redis-streams-adapter";

/**
 * What the relay may ask of a namespace's adapter to deliver a frame straight to a socket on
 * this node (server/relay/forward.ts). A room emit through the streams adapter reaches this
 * node's sockets only after its append to the stream is acknowledged; an emit flagged `local`
 * reaches them at once. Mixing the two towards one room could overtake: `sendingTo` says whether
 * an emit to that room from this node is still waiting for its append.
 */
export type OrderedAdapter = Readonly<{ sendingTo: (room: string) => boolean }>;

type Broadcast = (
  packet: unknown,
  opts: { rooms: Set<string>; flags?: { local?: boolean } },
) => Promise<void>;

/**
 * socket.io's Redis streams adapter (`<prefix>sio`), for every relay node. Each node reads every
 * entry of the stream, its own included, and the adapter decodes each one (base64, then msgpack:
 * a relayed frame carries its ciphertext) before the cluster adapter sees that the entry came
 * from this node and drops it. Skipping that decode for our own entries halves the stream
 * reading work of two nodes (profiled in bench/cluster.bench.ts); entries of other nodes, and
 * everything else the adapter does, are untouched. Each adapter also counts, per room, its room
 * emits still waiting for their append (`OrderedAdapter`).
 */
export function streamsAdapter(client: unknown, prefix: string) {
  const make = createAdapter(client, { streamName: `${prefix}sio`, channelPrefix: `${prefix}sio` });
  // socket.io calls the factory with `new`: a function (not an arrow) whose returned object wins.
  return function streamsAdapterFor(nsp: unknown) {
    const adapter = make(nsp);
    // ClusterAdapter's node id, protected in its types, set in its constructor.
    const self = (adapter as unknown as { uid: string }).uid;
    const read = adapter.onRawMessage.bind(adapter);
    adapter.onRawMessage = (raw, offset) => (raw.uid === self ? undefined : read(raw, offset));

    const pending = new Map<string, number>();
    const open = adapter as unknown as { broadcast: Broadcast };
    const broadcast = open.broadcast.bind(adapter);
    open.broadcast = (packet, opts) => {
      if (opts.flags?.local) return broadcast(packet, opts);
      // An emit to the whole namespace (no room) is counted under "": it reaches every room.
      const rooms = opts.rooms.size > 0 ? [...opts.rooms] : [""];
      for (const room of rooms) pending.set(room, (pending.get(room) ?? 0) + 1);
      // ClusterAdapter.broadcast delivers locally once the append settles, and never rejects.
      return broadcast(packet, opts).finally(() => {
        for (const room of rooms) {
          const left = (pending.get(room) ?? 1) - 1;
          if (left > 0) pending.set(room, left);
          else pending.delete(room);
        }
      });
    };
    const ordered: OrderedAdapter = { sendingTo: (room) => pending.has(room) || pending.has("") };
    return Object.assign(adapter, ordered);
  };
}
