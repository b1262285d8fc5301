/**
 * Domain-separation labels (ASCII, PROTOCOL.md "KDF labels"). Each key, header, hash and
 * signature uses its own label, so no value computed for one purpose is valid for another.
 */
const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

export const LABEL_TRANSCRIPT = ascii("sahara-v1/handshake");
export const LABEL_KEY_S2C = ascii("sahara-v1/key/survivor-to-counselor");
export const LABEL_KEY_C2S = ascii("sahara-v1/key/counselor-to-survivor");
export const LABEL_HEADER_S2C = ascii("sahara-v1/header/survivor-to-counselor");
export const LABEL_HEADER_C2S = ascii("sahara-v1/header/counselor-to-survivor");
export const LABEL_SAFETY_CODE = ascii("sahara-v1/safety-code");
export const LABEL_HANDOVER = ascii("sahara-v1/handover");
export const LABEL_WRAP = ascii("sahara-v1/wrap");
export const LABEL_SIDE_HELLO = ascii("sahara-v1/side/hello");
export const LABEL_SIDE_TRANSCRIPT = ascii("sahara-v1/side/transcript");
export const LABEL_SIDE_KEY_S2C = ascii("sahara-v1/side/key/supervisor-to-counselor");
export const LABEL_SIDE_KEY_C2S = ascii("sahara-v1/side/key/counselor-to-supervisor");
export const LABEL_SIDE_MESSAGE = ascii("sahara-v1/side/message");

/** Bytes of the BLAKE2b-256 hashes (transcript, certificate) and derived stream keys. */
export const HASH_BYTES = 32;
