/// <reference lib="webworker" />
import { SODIUM_WASM_MESSAGE } from "./sodium-wasm-message.ts";

/**
 * Worker side of libsodium's WebAssembly in the frame build. libsodium ships its wasm as a
 * base64 string inside its script; the frame build (widget/vite.frame.config.ts) moves it into
 * a binary asset, which the main thread fetches and compiles (streaming, while it downloads; see
 * spawn.ts) and posts here as a `WebAssembly.Module`. The build makes libsodium's emscripten
 * module call `instantiateSodiumWasm` instead of decoding its string. This module is imported by
 * the transformed libsodium itself, so its listener is in place before the worker's handler.
 * Node tests and the console use libsodium untransformed and never load this file.
 */
declare const self: DedicatedWorkerGlobalScope;

const compiled = new Promise<WebAssembly.Module>((resolve, reject) => {
  const listener = (event: MessageEvent) => {
    const data: unknown = event.data;
    if (typeof data !== "object" || data === null || !("type" in data) || data.type !== SODIUM_WASM_MESSAGE)
      return;
    // The handler never sees this message.
    event.stopImmediatePropagation();
    self.removeEventListener("message", listener);
    const module = "module" in data ? data.module : null;
    if (module instanceof WebAssembly.Module) resolve(module);
    else reject(new Error("the frame could not load libsodium's WebAssembly"));
  };
  self.addEventListener("message", listener);
});

/** emscripten's `Module.instantiateWasm`, with the reject the frame build passes third. */
export function instantiateSodiumWasm(
  imports: WebAssembly.Imports,
  receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
  fail: (error: unknown) => void,
): Record<string, never> {
  compiled
    .then(async (module) => receive(await WebAssembly.instantiate(module, imports), module))
    .catch(fail);
  return {};
}
