import { beforeAll, describe, expect, it } from "vitest";
import { createSurvivorHandshake } from "../../../../shared/crypto/index.ts";
import { sodium } from "../../../../shared/crypto/sodium.ts";
import { generateOrgKeyPair } from "../../../../shared/crypto/staff/index.ts";
import { certify, cryptoReady, establish, mustOk, utf8 } from "../../../support/crypto-kit.ts";

beforeAll(cryptoReady);

type Heap = {
  HEAPU8: Uint8Array;
  _free(address: number): void;
  _crypto_secretstream_xchacha20poly1305_statebytes(): number;
};
const heap = () => (sodium() as unknown as { libsodium: Heap }).libsodium;
const stateBytes = (address: number) =>
  heap().HEAPU8.slice(address, address + heap()._crypto_secretstream_xchacha20poly1305_statebytes());

/**
 * Records the address of every secretstream state the channel creates, and what each freed
 * block held at the moment it was freed (after free, the allocator writes its own list
 * pointers into the block, so the bytes must be judged at the moment of `_free`).
 */
function withHeapSpy<T>(run: () => T) {
  const s = sodium() as unknown as Record<string, unknown>;
  const original = s.crypto_secretstream_xchacha20poly1305_init_pull as (
    h: Uint8Array,
    k: Uint8Array,
  ) => number;
  const originalFree = heap()._free;
  const states: number[] = [];
  const freed = new Map<number, Uint8Array>();
  s.crypto_secretstream_xchacha20poly1305_init_pull = (h: Uint8Array, k: Uint8Array) => {
    const state = original(h, k);
    states.push(state);
    return state;
  };
  heap()._free = (address: number) => {
    if (states.includes(address)) freed.set(address, stateBytes(address));
    originalFree(address);
  };
  const restore = () => {
    s.crypto_secretstream_xchacha20poly1305_init_pull = original;
    heap()._free = originalFree;
  };
  return { result: run(), states, freed, restore };
}

describe("wipe", () => {
  it("zeroes both stream states of each side inside the WASM heap", () => {
    const org = generateOrgKeyPair();
    const counselor = certify(org);
    const spy = withHeapSpy(() => establish(org, counselor));
    try {
      expect(spy.states).toHaveLength(4);
      mustOk(spy.result.survivor.channel.seal(utf8("something")));
      for (const address of spy.states) expect(stateBytes(address).some((b) => b !== 0)).toBe(true);
      spy.result.survivor.channel.wipe();
      spy.result.counselor.channel.wipe();
    } finally {
      spy.restore();
    }
    expect([...spy.freed.keys()].sort()).toEqual([...spy.states].sort());
    for (const bytes of spy.freed.values()) expect(bytes.every((b) => b === 0)).toBe(true);
  });

  it("zeroes the sending state as soon as the final frame is sealed", () => {
    const org = generateOrgKeyPair();
    const spy = withHeapSpy(() => establish(org, certify(org)));
    try {
      mustOk(spy.result.survivor.channel.close(utf8("bye")));
    } finally {
      spy.restore();
    }
    // Order of creation: counselor (send, receive), then survivor (send, receive).
    expect([...spy.freed.keys()]).toEqual([spy.states[2]]);
    expect(spy.freed.get(spy.states[2]!)?.every((b) => b === 0)).toBe(true);
    expect(stateBytes(spy.states[3]!).some((b) => b !== 0)).toBe(true);
  });

  it("a completed or wiped survivor handshake refuses to run again (its secret was zeroed)", () => {
    const org = generateOrgKeyPair();
    const { handshake } = establish(org, certify(org));
    // complete() already wiped it: a second completion is refused rather than reusing the key.
    const fresh = createSurvivorHandshake();
    fresh.wipe();
    expect(
      fresh.complete(new Uint8Array(300), {
        sessionId: "x",
        epoch: 0,
        orgPublicKey: org.publicKey,
        nowMs: 0,
      }),
    ).toEqual({
      ok: false,
      error: "used",
    });
    expect(
      handshake.complete(new Uint8Array(300), {
        sessionId: "x",
        epoch: 0,
        orgPublicKey: org.publicKey,
        nowMs: 0,
      }),
    ).toEqual({ ok: false, error: "used" });
  });
});
