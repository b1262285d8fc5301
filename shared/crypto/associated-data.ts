/**
 * Associated data of every channel frame (PROTOCOL.md "Associated data"):
 *
 *   version u8 = 1 | u8 n + session id (n, ASCII) | direction u8 | epoch u32 BE | seq u32 BE
 *
 * direction: 1 = survivor to counselor, 2 = counselor to survivor. The relay sees session id,
 * epoch and seq in the clear; binding them here means it cannot move a frame to another
 * session, epoch, position or direction (a reflected frame fails on the direction byte).
 */
export type Direction = "survivor-to-counselor" | "counselor-to-survivor";

export const AD_VERSION = 1;

export function directionByte(direction: Direction): number {
  switch (direction) {
    case "survivor-to-counselor":
      return 1;
    case "counselor-to-survivor":
      return 2;
    default: {
      const never: never = direction;
      throw new Error(`unknown direction ${String(never)}`);
    }
  }
}

/** Prefix shared by every frame of one direction: only the seq differs per frame. */
export function associatedDataPrefix(sessionId: string, direction: Direction, epoch: number): Uint8Array {
  const id = new TextEncoder().encode(sessionId);
  const out = new Uint8Array(1 + 1 + id.length + 1 + 4);
  out[0] = AD_VERSION;
  out[1] = id.length;
  out.set(id, 2);
  out[2 + id.length] = directionByte(direction);
  new DataView(out.buffer).setUint32(3 + id.length, epoch);
  return out;
}

export function associatedData(prefix: Uint8Array, seq: number): Uint8Array {
  const out = new Uint8Array(prefix.length + 4);
  out.set(prefix, 0);
  new DataView(out.buffer).setUint32(prefix.length, seq);
  return out;
}
