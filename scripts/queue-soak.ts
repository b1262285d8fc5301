/**
 * The long, real-timer run for queue places (outside CI: it takes SOAK_MINUTES, default 30).
 * A relay with production timings; one survivor whose "frame" sends `waiting` every 30 s as the
 * real one does, and one bot that only keeps its socket open. Passes when the bot loses its place
 * after about WAITING_SILENCE_MS, the survivor still waits at position 1 after the whole run (past
 * the ~22 minutes after which a waiting record used to vanish), and a counselor then gets them.
 *
 *   npm run soak:queue            # 30 minutes
 *   SOAK_MINUTES=25 npm run soak:queue
 */
import type { Socket } from "socket.io-client";
import {
  type Assigned,
  type QueuePosition,
  type Reply,
  type SurvivorEnded,
  WAITING_KEEPALIVE_MS,
  WAITING_SILENCE_MS,
} from "../shared/protocol/index.ts";
import { collect, connectStaff, joinAsSurvivor, request } from "../tests/support/relay-clients.ts";
import { principal, startRelay } from "../tests/support/relay-harness.ts";

const minutes = Number(process.env.SOAK_MINUTES ?? "30");
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 60_000).toFixed(1)} min`;
function fail(why: string): never {
  console.error(`FAIL after ${elapsed()}: ${why}`);
  process.exit(1);
}

const h = await startRelay({ resumeGraceMs: 60_000 });
const survivor = await joinAsSurvivor(h.url);
const bot = await joinAsSurvivor(h.url);
const id = survivor.queued.sessionId;
const botEnded = collect<SurvivorEnded>(bot.socket, "ended");
const survivorEnded = collect<SurvivorEnded>(survivor.socket, "ended");
const positions = collect<QueuePosition>(survivor.socket, "position");
const keepAlive = setInterval(() => survivor.socket.emit("waiting", { sessionId: id }), WAITING_KEEPALIVE_MS);
console.log(`soak: ${minutes} min with real timers; survivor and bot queued`);

let botGoneAt: number | null = null;
while (Date.now() - started < minutes * 60_000) {
  await new Promise((r) => setTimeout(r, 10_000));
  if (botGoneAt === null && botEnded.length > 0) {
    botGoneAt = Date.now() - started;
    console.log(`bot's place freed after ${(botGoneAt / 1000).toFixed(0)} s (${botEnded[0]?.reason})`);
  }
  if (survivorEnded.length > 0) fail(`survivor was ended: ${survivorEnded[0]?.reason}`);
  if ((await h.store.getSession(id))?.state !== "waiting") fail("survivor's record is gone");
  if (bot.socket.connected === false && botGoneAt === null) fail("bot was disconnected, not ended");
}
clearInterval(keepAlive);
if (botGoneAt === null) fail("the bot still holds its place");
if (botGoneAt > WAITING_SILENCE_MS + 30_000) fail(`the bot held its place for ${botGoneAt} ms`);
const last = positions.at(-1);
if (last?.position !== 1) fail(`survivor's last position push was ${JSON.stringify(last)}`);
if ((await h.store.counts()).queued !== 1) fail("queue entries left behind");
const staff = (await connectStaff(h.url, h.addStaff(principal("soak")), "away")) as Socket;
const taken = await request<Reply<{ assigned: Assigned }>>(staff, "take", {});
if (!taken.ok || taken.assigned.sessionId !== id) fail(`take answered ${JSON.stringify(taken)}`);
console.log(`PASS after ${elapsed()}: survivor kept position 1 and was served; bot freed its place`);
for (const s of [survivor.socket, bot.socket, staff]) s.close();
await h.close();
process.exit(0);
