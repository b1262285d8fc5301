/**
 * Every size, length, count and duration the protocol enforces, in one place. Both ends and
 * the relay read these; changing one is a protocol change (bump PROTOCOL_VERSION if it breaks).
 */
export const PROTOCOL_VERSION = 1;

/** Raw key sizes (X25519 and Ed25519 public keys are both 32 bytes). */
export const PUBLIC_KEY_BYTES = 32;
/** Session ids: 16 random bytes, base64url without padding (22 characters). */
export const SESSION_ID_CHARS = 22;
/** Resume tokens: 32 random bytes, base64url (43 characters), held only in relay memory. */
export const RESUME_TOKEN_CHARS = 43;

/** Plaintext padding buckets in bytes (PROTOCOL.md, "Padding"). The largest bounds a payload. */
export const PADDING_BUCKETS = [256, 1024, 4096] as const;
/** Largest encrypted frame the relay forwards: largest bucket + secretstream overhead, rounded up. */
export const MAX_FRAME_BYTES = 4096 + 64;
/** Largest signed handshake (accept) blob: header, keys, signature and a certificate. */
export const MAX_HANDSHAKE_BYTES = 2048;
/**
 * The handover (note and the conversation so far) travels sealed to the receiving counselor.
 * The encoded payload is bounded (the sender drops the oldest messages to fit); the sealed box
 * adds the sender's certificate, a signature and the box overhead within the remaining 8 KiB.
 */
export const MAX_HANDOVER_PAYLOAD_BYTES = 256 * 1024;
export const MAX_HANDOVER_MESSAGES = 200;
export const MAX_HANDOVER_BYTES = MAX_HANDOVER_PAYLOAD_BYTES + 8 * 1024;
/** Sequence numbers are per direction per epoch, start at 0 and stay below 2^31. */
export const MAX_SEQUENCE = 2 ** 31 - 1;
/** Epochs count handshakes within one session (the first is 0; each transfer adds one). */
export const MAX_EPOCH = 255;

/** Text inside payloads (counted in UTF-16 code units after decryption). */
export const MAX_TEXT_CHARS = 2000;
export const MAX_NICKNAME_CHARS = 40;
export const MAX_HANDOVER_NOTE_CHARS = 2000;
export const MAX_MESSAGE_ID_CHARS = 32;

/** Routing metadata: a BCP 47-ish language tag and a partner id (slug). */
export const LANGUAGES = ["en", "ur"] as const;
export const MAX_PARTNER_ID_CHARS = 64;
export const MAX_STAFF_ID_CHARS = 64;
export const MAX_DISPLAY_NAME_CHARS = 64;

/** Proof-of-work: challenge bytes, nonce bytes, and the difficulty range (leading zero bits). */
export const POW_CHALLENGE_CHARS = 128;
export const POW_NONCE_BYTES = 8;
export const POW_MIN_DIFFICULTY = 12;
export const POW_MAX_DIFFICULTY = 24;
export const POW_CHALLENGE_TTL_MS = 120_000;
/**
 * Admission policy (PROTOCOL.md "Proof of work"): difficulty never rises above this, so a phone at
 * a quarter of a laptop's speed (about 0.5 M hashes/s) solves one in about 2 s on average. Beyond
 * it, floods are held back by the per-address bound and the keep-alive, not by more work.
 */
export const POW_ADMISSION_MAX_DIFFICULTY = 20;
/** Join attempts per minute (proofs redeemed, refused joins included) that add no difficulty. */
export const POW_FREE_JOINS_PER_MINUTE = 8;
/** Waiting chats per extra bit of difficulty. */
export const POW_WAITING_PER_BIT = 25;
/** Queue places one client address may hold at once (keyed, daily-rotating hash, memory only). */
export const MAX_WAITING_PER_CLIENT = 4;
/**
 * A waiting survivor's frame sends `waiting` this often; a waiting session the relay has not
 * heard from for WAITING_SILENCE_MS loses its place even if its socket is still connected
 * (socket pings alone keep nothing: they cost a bot nothing).
 */
export const WAITING_KEEPALIVE_MS = 30_000;
export const WAITING_SILENCE_MS = 120_000;

/**
 * Per-socket frame rate: a token bucket of this size refilled at this rate per second. Sized for
 * a screenshot (PROTOCOL.md "Attachments"): a sender paces its chunks at IMAGE_CHUNKS_PER_SECOND,
 * which leaves the other half of the rate for typed messages, receipts and acknowledgements.
 */
export const FRAME_BURST = 60;
export const FRAMES_PER_SECOND = 40;
/**
 * End-to-end acknowledgements have a bucket of their own on each socket, so acknowledging what
 * arrives (one ack per frame received, from every chat on a counselor's socket) never costs the
 * frames that socket sends. Still bounded: an ack flood beyond it is dropped (acks are cumulative,
 * so a dropped one costs at most a resend).
 */
export const ACK_BURST = 2 * FRAME_BURST;
export const ACKS_PER_SECOND = 2 * FRAMES_PER_SECOND;

/** A dropped survivor may resume within this window; then the session is deleted everywhere. */
export const RESUME_GRACE_MS = 60_000;
/** A session with no frame in either direction for this long is closed and wiped. */
export const IDLE_TIMEOUT_MS = 20 * 60_000;
/** Unacknowledged frames a sender keeps in memory for resending; more is a flow-control error. */
export const MAX_UNACKED_FRAMES = 256;
/** Default simultaneous chats per counselor (admin setting). */
export const DEFAULT_CHAT_LIMIT = 2;

/**
 * Attachments (PROTOCOL.md "Attachments"): a screenshot, re-encoded by the sender (no metadata),
 * at most IMAGE_MAX_SIDE_PX on its long side and MAX_IMAGE_BYTES once encoded, split into chunks
 * of IMAGE_CHUNK_BYTES that each fill the largest padding bucket.
 */
export const IMAGE_MIME_TYPES = ["image/jpeg", "image/webp"] as const;
export const MAX_IMAGE_BYTES = 1024 * 1024;
export const IMAGE_MAX_SIDE_PX = 2048;
/** Image data per chunk: with the chunk header (at most 36 bytes) it fills the 4096 bucket. */
export const IMAGE_CHUNK_BYTES = 4000;
export const MAX_IMAGE_CHUNKS = Math.ceil(MAX_IMAGE_BYTES / IMAGE_CHUNK_BYTES);
/** Images each side may send in one chat, and encoded bytes per rolling minute. */
export const MAX_IMAGES_PER_CHAT = 10;
export const MAX_IMAGE_BYTES_PER_MINUTE = 3 * MAX_IMAGE_BYTES;
/** Sender pacing: chunks per second, and chunks sealed but not yet acknowledged. */
export const IMAGE_CHUNKS_PER_SECOND = 20;
export const IMAGE_CHUNK_WINDOW = 64;
/** A started image whose next chunk has not arrived for this long has failed. */
export const IMAGE_STALL_MS = 90_000;
