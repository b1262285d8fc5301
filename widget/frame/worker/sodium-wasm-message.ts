/**
 * The first message the frame posts to its crypto worker: libsodium's compiled WebAssembly
 * (`{ type, module }`), or `{ type }` alone when it could not be fetched or compiled. Taken by
 * sodium-wasm.ts before the worker's handler, so it is not part of protocol.ts.
 */
export const SODIUM_WASM_MESSAGE = "sodium-wasm";
