export * from "./envelopes.ts";
export * from "./errors.ts";
export * from "./events.ts";
export * from "./ids.ts";
export * from "./limits.ts";
export * from "./parse.ts";
export * from "./payloads.ts";
export * from "./transport.ts";
