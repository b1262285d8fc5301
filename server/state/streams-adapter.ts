import { createAdapter } from "@socket.io/redis-streams-adapter";

/**
 * socket.io's Redis streams adapter (`<prefix>sio`), for every relay node. Each node reads every
 * entry of the stream, its own included, and the adapter decodes each one (base64, then msgpack:
 * a relayed frame carries its ciphertext) before the cluster adapter sees that the entry came
 * from this node and drops it. Skipping that decode for our own entries halves the stream
 * reading work of two nodes (profiled in bench/cluster.bench.ts); entries of other nodes, and
 * everything else the adapter does, are untouched.
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
    return adapter;
  };
}
