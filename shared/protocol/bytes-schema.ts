import * as v from "valibot";

/**
 * Binary fields arrive as Buffer (Node), Uint8Array (msgpack) or ArrayBuffer (browser
 * socket.io-client); all become a plain Uint8Array view, bounded in size.
 */
export function bytesSchema(min: number, max: number) {
  return v.pipe(
    v.union([v.instance(Uint8Array), v.instance(ArrayBuffer)]),
    v.transform(
      (input): Uint8Array =>
        input instanceof ArrayBuffer
          ? new Uint8Array(input)
          : new Uint8Array(input.buffer, input.byteOffset, input.byteLength),
    ),
    v.check((bytes) => bytes.byteLength >= min && bytes.byteLength <= max, "size"),
  );
}
