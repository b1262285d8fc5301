import { type ChildProcess, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import type { Socket } from "socket.io-client";
import { formatChallenge, solve } from "../shared/pow/index.ts";
import { type Challenge, POW_ADMISSION_MAX_DIFFICULTY } from "../shared/protocol/index.ts";
import { next, proof, request, survivorClient } from "../tests/support/relay-clients.ts";
import { startRelay } from "../tests/support/relay-harness.ts";
import type { BenchRow } from "./run.ts";

/**
 * Attack scenario for the queue admission policy (PROTOCOL.md "Queue admission and keep-alive").
 * The relay runs here with production admission settings (difficulty from the policy, 4 places
 * per address, 500 places); two flooding processes (both cores) join as fast as they can solve,
 * from one address, then from 16 addresses. After the flood has run a while, a genuine survivor
 * connects and joins. Its proof-of-work time is projected onto a CPU four times slower than this
 * one (hashes it needed / a quarter of this machine's hash rate, measured first, uncontended), so
 * the figure does not depend on how busy the flooders keep the machine.
 *
 * Targets: the survivor joins, with at most 10 s of projected work (and the expected work at the
 * difficulty it faced also under 10 s); the attacker holds at most 4 places per address it has,
 * which is the stated share: 4 / 500 = 0.8 % of the queue from one address.
 */
const FLOOD_MS = 12_000;
const SLOWDOWN = 4;

async function hashRate(): Promise<number> {
  let hashes = 0;
  const start = performance.now();
  for (let i = 0; i < 4; i++) {
    const challenge = formatChallenge(
      { difficulty: 18, expiresAt: Date.now() + 60_000, random: randomBytes(16).toString("base64url") },
      "A".repeat(43),
    );
    const nonce = await solve(challenge, { batchSize: 1 << 16, pause: async () => {} });
    if (!nonce.ok) throw new Error(nonce.error);
    hashes += Number(Buffer.from(nonce.value).readBigUInt64BE()) + 1;
  }
  return hashes / ((performance.now() - start) / 1000);
}

type Counts = { attempts: number; joined: number; refused: Record<string, number>; hashes: number };

function flooder(port: number, addresses: readonly string[]): ChildProcess {
  return fork(resolve(import.meta.dirname, "admission-attacker.ts"), [String(port), addresses.join(",")], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
}

function stop(child: ChildProcess): Promise<Counts> {
  return new Promise((done) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.once("exit", () => done(JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as Counts));
    child.kill("SIGTERM");
  });
}

async function scenario(name: string, addresses: readonly string[], rate: number): Promise<BenchRow[]> {
  const h = await startRelay({ queueDifficulty: true, maxWaitingPerClient: 4, maxWaiting: 500 });
  const children = [flooder(h.port, addresses), flooder(h.port, addresses)];
  await new Promise((r) => setTimeout(r, FLOOD_MS));
  // The genuine survivor comes from an address of its own (127.0.0.1), as a real one would.
  const survivor = survivorClient(h.url) as Socket;
  const challenge = await next<Challenge>(survivor, "challenge", 20_000);
  const solved = await proof(challenge);
  const tried = Number(solved.nonce.readBigUInt64BE()) + 1;
  const reply = await request<{ ok: boolean; error?: string }>(survivor, "join", {
    version: 1,
    pow: solved,
    survivorKey: randomBytes(32),
    language: "en",
    partner: "demo",
  });
  const counts = await Promise.all(children.map(stop));
  const queued = (await h.store.counts()).queued;
  survivor.close();
  await h.close();
  const attempts = counts.reduce((n, c) => n + c.attempts, 0);
  const joined = counts.reduce((n, c) => n + c.joined, 0);
  const slowRate = rate / SLOWDOWN;
  const projected = tried / slowRate;
  const expected = 2 ** challenge.difficulty / slowRate;
  console.error(
    `${name}: attacker ${attempts} proofs, ${joined} places (refused ${JSON.stringify(
      counts.map((c) => c.refused),
    )}); queue ${queued}/500; survivor difficulty ${challenge.difficulty}, ${tried} hashes, ${
      reply.ok ? "joined" : `refused ${reply.error}`
    }`,
  );
  const bound = 4 * addresses.length;
  return [
    { name: `${name}: survivor refused (0 = joined)`, value: reply.ok ? 0 : 1, unit: "flag", target: 1 },
    {
      name: `${name}: survivor difficulty (bits)`,
      value: challenge.difficulty,
      unit: "bits",
      target: POW_ADMISSION_MAX_DIFFICULTY + 1,
    },
    { name: `${name}: survivor PoW on a 4x slower CPU`, value: projected, unit: "s", target: 10 },
    { name: `${name}: expected PoW at that difficulty, 4x slower`, value: expected, unit: "s", target: 10 },
    { name: `${name}: attacker proofs solved`, value: attempts, unit: "count" },
    { name: `${name}: attacker places held`, value: joined, unit: "places", target: bound + 1 },
    {
      name: `${name}: attacker share of the 500 places`,
      value: (100 * joined) / 500,
      unit: "%",
      target: (100 * (bound + 1)) / 500,
    },
  ];
}

export async function run(): Promise<readonly BenchRow[]> {
  const rate = await hashRate();
  console.error(`hash rate here: ${(rate / 1e6).toFixed(2)} M/s (4x slower: ${(rate / 4e6).toFixed(2)} M/s)`);
  const one = await scenario("flood from 1 address", ["127.0.0.2"], rate);
  const many = await scenario(
    "flood from 16 addresses",
    Array.from({ length: 16 }, (_, i) => `127.0.1.${i + 1}`),
    rate,
  );
  return [{ name: "hash rate (uncontended)", value: rate / 1e6, unit: "M/s" }, ...one, ...many];
}
