/**
 * A strict msgpack decoder for packets from clients. Threat: notepack.io (behind
 * socket.io-msgpack-parser) allocates whatever an `ext` header declares before looking at the
 * bytes, so six bytes declaring a 4 GiB ArrayBuffer froze the process for seconds. Here every
 * length read from the wire is checked against the bytes that are actually left BEFORE anything
 * is allocated, for every type (str, bin, ext, array, map), nesting is bounded, and map keys are
 * plain strings that cannot reach an object's prototype.
 *
 * It accepts exactly what notepack.io's encoders (Node and browser) produce for the relay's
 * messages: nil, booleans, integers, floats, str, bin, arrays, maps with string keys, ext type 0
 * (an ArrayBuffer), fixext1 type 0 (undefined) and fixext8 type 0 (a Date). Anything else throws,
 * and socket.io turns a decoder exception into a closed connection.
 */
export type MsgpackLimits = Readonly<{ maxDepth: number }>;

/** A socket.io packet for the relay is four levels deep (packet, args, payload, pow). */
export const DEFAULT_MSGPACK_LIMITS: MsgpackLimits = { maxDepth: 16 };

export class MsgpackError extends Error {
  override readonly name = "MsgpackError";
}

export function decodeMsgpack(input: Uint8Array, limits: MsgpackLimits = DEFAULT_MSGPACK_LIMITS): unknown {
  const reader = new Reader(Buffer.from(input.buffer, input.byteOffset, input.byteLength), limits);
  const value = reader.value(0);
  if (reader.offset !== input.byteLength) throw new MsgpackError("trailing bytes");
  return value;
}

class Reader {
  offset = 0;
  readonly #bytes: Buffer;
  readonly #limits: MsgpackLimits;

  constructor(bytes: Buffer, limits: MsgpackLimits) {
    this.#bytes = bytes;
    this.#limits = limits;
  }

  /** Claims `n` bytes that must already be there; the only way any length is honoured. */
  #take(n: number): number {
    if (!Number.isSafeInteger(n) || n < 0 || n > this.#bytes.length - this.offset) {
      throw new MsgpackError("length beyond message");
    }
    const at = this.offset;
    this.offset += n;
    return at;
  }

  #u8 = () => this.#bytes.readUInt8(this.#take(1));
  #u16 = () => this.#bytes.readUInt16BE(this.#take(2));
  #u32 = () => this.#bytes.readUInt32BE(this.#take(4));

  /** Each element needs at least one byte (a map entry two): a count beyond that is a lie. */
  #count(n: number, bytesPerItem: number): number {
    if (n * bytesPerItem > this.#bytes.length - this.offset) throw new MsgpackError("count beyond message");
    return n;
  }

  #str(n: number): string {
    const at = this.#take(n);
    return this.#bytes.toString("utf8", at, at + n);
  }

  #bin(n: number): Buffer {
    const at = this.#take(n);
    // A copy: the decoded packet must not keep the whole received message alive.
    return Buffer.from(this.#bytes.subarray(at, at + n));
  }

  #ext(n: number): ArrayBuffer {
    const type = this.#bytes.readInt8(this.#take(1));
    if (type !== 0) throw new MsgpackError("unsupported ext type");
    const at = this.#take(n);
    return new Uint8Array(this.#bytes.subarray(at, at + n)).slice().buffer;
  }

  #array(n: number, depth: number): unknown[] {
    const out: unknown[] = [];
    for (let i = this.#count(n, 1); i > 0; i--) out.push(this.value(depth + 1));
    return out;
  }

  #map(n: number, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let i = this.#count(n, 2); i > 0; i--) {
      const key = this.value(depth + 1);
      if (typeof key !== "string") throw new MsgpackError("map key is not a string");
      // defineProperty, not assignment: a key "__proto__" must not replace the prototype.
      Object.defineProperty(out, key, {
        value: this.value(depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }

  value(depth: number): unknown {
    if (depth > this.#limits.maxDepth) throw new MsgpackError("nested too deep");
    const prefix = this.#u8();
    if (prefix < 0x80) return prefix;
    if (prefix < 0x90) return this.#map(prefix & 0x0f, depth);
    if (prefix < 0xa0) return this.#array(prefix & 0x0f, depth);
    if (prefix < 0xc0) return this.#str(prefix & 0x1f);
    if (prefix > 0xdf) return prefix - 0x100;
    const b = this.#bytes;
    switch (prefix) {
      case 0xc0:
        return null;
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xc4:
        return this.#bin(this.#u8());
      case 0xc5:
        return this.#bin(this.#u16());
      case 0xc6:
        return this.#bin(this.#u32());
      case 0xc7:
        return this.#ext(this.#u8());
      case 0xc8:
        return this.#ext(this.#u16());
      case 0xc9:
        return this.#ext(this.#u32());
      case 0xca:
        return b.readFloatBE(this.#take(4));
      case 0xcb:
        return b.readDoubleBE(this.#take(8));
      case 0xcc:
        return this.#u8();
      case 0xcd:
        return this.#u16();
      case 0xce:
        return this.#u32();
      case 0xcf: {
        const at = this.#take(8);
        return b.readUInt32BE(at) * 2 ** 32 + b.readUInt32BE(at + 4);
      }
      case 0xd0:
        return b.readInt8(this.#take(1));
      case 0xd1:
        return b.readInt16BE(this.#take(2));
      case 0xd2:
        return b.readInt32BE(this.#take(4));
      case 0xd3: {
        const at = this.#take(8);
        return b.readInt32BE(at) * 2 ** 32 + b.readUInt32BE(at + 4);
      }
      case 0xd4: {
        // notepack writes `undefined` as fixext1 type 0.
        const at = this.#take(2);
        if (b.readInt8(at) !== 0) throw new MsgpackError("unsupported ext type");
        return undefined;
      }
      case 0xd7: {
        const at = this.#take(9);
        if (b.readInt8(at) !== 0) throw new MsgpackError("unsupported ext type");
        return new Date(b.readInt32BE(at + 1) * 2 ** 32 + b.readUInt32BE(at + 5));
      }
      case 0xd9:
        return this.#str(this.#u8());
      case 0xda:
        return this.#str(this.#u16());
      case 0xdb:
        return this.#str(this.#u32());
      case 0xdc:
        return this.#array(this.#u16(), depth);
      case 0xdd:
        return this.#array(this.#u32(), depth);
      case 0xde:
        return this.#map(this.#u16(), depth);
      case 0xdf:
        return this.#map(this.#u32(), depth);
      default:
        // 0xc1 (never used), fixext 2/4/16 (0xd5, 0xd6, 0xd8): nothing the relay's clients send.
        throw new MsgpackError("unsupported type");
    }
  }
}
