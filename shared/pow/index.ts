export * from "./base64url.ts";
export * from "./challenge.ts";
export * from "./input.ts";
export * from "./sha256.ts";
export * from "./solve.ts";
export * from "./verify.ts";
