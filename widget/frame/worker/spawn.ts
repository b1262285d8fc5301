import sodiumWasmUrl from "sahara:sodium-wasm-url";
import CryptoWorker from "./crypto.worker.ts?worker&inline";
import { SODIUM_WASM_MESSAGE } from "./sodium-wasm-message.ts";
// The crypto client's reply check (valibot) travels in this chunk, fetched early, not the entry.
import "./reply-check.ts";

/**
 * libsodium's WebAssembly, a binary asset of its own (60 KB brotli, where the base64 string
 * libsodium ships would be 107 KB and need decoding on the phone's CPU). The page's early-fetch
 * script has already asked for it (a `preload` link this `fetch` picks up); it compiles while
 * it downloads. Compiled once per page: a new chat's worker gets the same module (code, never
 * keys).
 */
let sodiumModule: Promise<WebAssembly.Module> | null = null;

async function compileSodium(): Promise<WebAssembly.Module> {
  const response = await fetch(sodiumWasmUrl);
  if (!response.ok) throw new Error(`libsodium's WebAssembly: HTTP ${response.status}`);
  // Streaming compilation needs the wasm type; anything else is compiled once it has arrived.
  if (response.headers.get("Content-Type") === "application/wasm")
    return WebAssembly.compileStreaming(response);
  return WebAssembly.compile(await response.arrayBuffer());
}

/**
 * Loaded with a dynamic import while the first screen shows, so libsodium (the bulk of the
 * frame's bytes) is not part of the initial download and `npm run size` can count it apart.
 */
export function spawnCryptoWorker(): Worker {
  const worker = new CryptoWorker({ name: "sahara-crypto" });
  if (sodiumModule === null)
    sodiumModule = compileSodium().catch((error: unknown) => {
      sodiumModule = null;
      throw error;
    });
  sodiumModule.then(
    (compiled) => worker.postMessage({ type: SODIUM_WASM_MESSAGE, module: compiled }),
    () => worker.postMessage({ type: SODIUM_WASM_MESSAGE }),
  );
  return worker;
}
