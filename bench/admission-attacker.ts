/**
 * One flooding process for bench/admission.bench.ts (not a bench module itself): connects to the
 * relay's survivor namespace as fast as one core can solve proofs of work, joins, and keeps every
 * accepted socket open (a bot's socket answers pings, but its "frame" never sends `waiting`).
 * Cycles through the local source addresses it is given. Prints its counts as JSON when told
 * to stop (SIGTERM) and exits.
 *
 *   node --import tsx bench/admission-attacker.ts <port> <address,address,...>
 */
import { randomBytes } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import * as msgpackParser from "socket.io-msgpack-parser";
import { solve } from "../shared/pow/index.ts";
import {
  type Challenge,
  PROTOCOL_VERSION,
  type Reply,
  SURVIVOR_CLIENT_OPTIONS,
  SURVIVOR_NAMESPACE,
} from "../shared/protocol/index.ts";

const [port, list] = process.argv.slice(2);
const addresses = (list ?? "127.0.0.1").split(",");
const counts = { attempts: 0, joined: 0, refused: {} as Record<string, number>, hashes: 0 };
const held: Socket[] = [];
let stopping = false;

process.on("SIGTERM", () => {
  stopping = true;
  process.stdout.write(`${JSON.stringify(counts)}\n`, () => process.exit(0));
});

async function once(localAddress: string): Promise<void> {
  const socket = io(`http://127.0.0.1:${port}${SURVIVOR_NAMESPACE}`, {
    ...SURVIVOR_CLIENT_OPTIONS,
    transports: ["websocket"],
    parser: msgpackParser,
    forceNew: true,
    reconnection: false,
    localAddress,
  } as Parameters<typeof io>[1]);
  const challenge = await new Promise<Challenge | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), 5000);
    socket.once("challenge", (c: Challenge) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  if (!challenge) {
    socket.close();
    return;
  }
  const nonce = await solve(challenge.challenge, { batchSize: 1 << 16, pause: async () => {} });
  if (!nonce.ok) {
    socket.close();
    return;
  }
  counts.hashes += Number(Buffer.from(nonce.value).readBigUInt64BE()) + 1;
  counts.attempts++;
  const reply = (await socket
    .timeout(10_000)
    .emitWithAck("join", {
      version: PROTOCOL_VERSION,
      pow: { challenge: challenge.challenge, nonce: Buffer.from(nonce.value) },
      survivorKey: randomBytes(32),
      language: "en",
      partner: "demo",
    })
    .catch(() => ({ ok: false, error: "timeout" }))) as Reply;
  if (reply.ok) {
    counts.joined++;
    held.push(socket);
  } else {
    counts.refused[reply.error] = (counts.refused[reply.error] ?? 0) + 1;
    socket.close();
  }
}

let i = 0;
while (!stopping) {
  await once(addresses[i++ % addresses.length] ?? "127.0.0.1");
}
