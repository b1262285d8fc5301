/** The URL of libsodium's WebAssembly, emitted by the frame build (widget/vite.frame.config.ts). */
declare module "sahara:sodium-wasm-url" {
  const url: string;
  export default url;
}
