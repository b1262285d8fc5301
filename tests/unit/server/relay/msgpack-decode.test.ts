import { createRequire } from "node:module";
import fc from "fast-check";
import * as msgpackParser from "socket.io-msgpack-parser";
import { describe, expect, it } from "vitest";
import { decodeMsgpack, MsgpackError } from "../../../../server/relay/msgpack-decode.ts";
import { checkPacket, Decoder } from "../../../../server/relay/relay-parser.ts";

/** The library decoder the relay used to run, as the reference for valid input. */
const notepack = createRequire(import.meta.url)("notepack.io") as { decode: (b: Buffer) => unknown };

const encode = (value: unknown) =>
  Buffer.from((new msgpackParser.Encoder().encode(value) as unknown as Uint8Array[])[0] as Uint8Array);

describe("strict msgpack decoder", () => {
  it("reads what the clients' encoder writes for relay packets", () => {
    const packet = {
      type: 2,
      nsp: "/survivor",
      id: 7,
      data: [
        "join",
        {
          version: 1,
          pow: { challenge: "v1.12.1.abc.def", nonce: Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]) },
          survivorKey: new Uint8Array(32).fill(9),
          language: "ur",
          note: undefined,
          big: 2 ** 40,
          negative: -(2 ** 33),
          half: 0.5,
          text: "سہارا".repeat(40),
        },
      ],
    };
    const out = decodeMsgpack(encode(packet)) as typeof packet;
    expect(out.data[0]).toBe("join");
    const payload = out.data[1] as Record<string, unknown>;
    expect(new Uint8Array(payload.survivorKey as ArrayBuffer)).toEqual(new Uint8Array(32).fill(9));
    expect(new Uint8Array((payload.pow as { nonce: Buffer }).nonce)).toEqual(
      new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]),
    );
    expect(payload.big).toBe(2 ** 40);
    expect(payload.negative).toBe(-(2 ** 33));
    expect(payload.text).toBe("سہارا".repeat(40));
    expect("note" in payload && payload.note === undefined).toBe(true);
  });

  it("agrees with notepack on any JSON-like value", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        // notepack assigns a `__proto__` key, so the key is lost there; this decoder keeps it an
        // ordinary property on purpose (its own test below).
        fc.pre(!JSON.stringify(value).includes('"__proto__"'));
        const bytes = encode(value);
        expect(decodeMsgpack(bytes)).toEqual(notepack.decode(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it("throws only its own error on any bytes, and never honours a length beyond the message", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          decodeMsgpack(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(MsgpackError);
        }
      }),
      { numRuns: 5000 },
    );
    expect(() => decodeMsgpack(Buffer.from([0xc9, 0xff, 0xff, 0xff, 0xff, 0]))).toThrow(MsgpackError);
    expect(() => decodeMsgpack(Buffer.from([0xdd, 0xff, 0xff, 0xff, 0xff]))).toThrow(MsgpackError);
  });

  it("keeps a `__proto__` key an ordinary property", () => {
    const bytes = Buffer.concat([
      Buffer.from([0x81, 0xa9]),
      Buffer.from("__proto__"),
      encode({ polluted: true }),
    ]);
    const out = decodeMsgpack(bytes) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect((out as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.keys(out)).toEqual(["__proto__"]);
  });

  it("refuses reserved event names, text frames and malformed packets", () => {
    const d = new Decoder();
    const seen: unknown[] = [];
    d.on("decoded", (p) => seen.push(p));
    d.add(encode({ type: 2, nsp: "/survivor", data: ["join", {}] }));
    expect(seen).toHaveLength(1);
    for (const name of [
      "disconnect",
      "connect",
      "connect_error",
      "disconnecting",
      "newListener",
      "removeListener",
    ]) {
      expect(() => d.add(encode({ type: 2, nsp: "/staff", data: [name] }))).toThrow(MsgpackError);
    }
    expect(() => d.add('2["join"]')).toThrow(MsgpackError);
    expect(() => checkPacket({ type: 9, nsp: "/" })).toThrow(MsgpackError);
    expect(() => checkPacket({ type: 2, nsp: "/", data: [{}] })).toThrow(MsgpackError);
    expect(() => checkPacket({ type: 1, nsp: "/", data: 1 })).toThrow(MsgpackError);
    expect(seen).toHaveLength(1);
  });
});
