import { MAX_SIDE_SEQ } from "../protocol/side-channel.ts";
import { err, ok, type Result } from "../result.ts";
import { certificateHash, verifyCertificate, verifySignature } from "./certificate.ts";
import { type CounselorIdentity, identityOf } from "./counselor-identity.ts";
import type { SideError } from "./errors.ts";
import {
  LABEL_SIDE_HELLO,
  LABEL_SIDE_KEY_C2S,
  LABEL_SIDE_KEY_S2C,
  LABEL_SIDE_MESSAGE,
  LABEL_SIDE_TRANSCRIPT,
} from "./labels.ts";
import { pad, unpad } from "./padding.ts";
import type { VerifiedRevocationList } from "./revocation.ts";
import { sodium } from "./sodium.ts";
import { type EphemeralKeyPair, generateEphemeralKeyPair } from "./x25519.ts";

/**
 * The side conversation between a counselor and a supervisor (PROTOCOL.md "Side conversation").
 * A signed ephemeral exchange between the two certified identity keys, as the survivor's
 * handshake but staff to staff: the supervisor offers, the counselor answers, both derive one
 * key per direction from crypto_kx mixed with the transcript hash. The relay, which chose the
 * request id and forwards both hellos, can neither read nor write: each hello is signed by a
 * certified identity, the answer signs the offer's hash, the counselor accepts only an offer
 * from a supervisor or admin certificate, and the supervisor only an answer from the colleague
 * whose request it opened.
 *
 *   hello     = 0x01 | kind (1 offer, 2 answer) | ephemeral pk (32) | u16 BE n | certificate (n) | sig (64)
 *   sig       = Ed25519(identity, "sahara-v1/side/hello" | kind | lp8(requestId) | ephemeral pk
 *                        | BLAKE2b-256(certificate) [| BLAKE2b-256(offer), answer only])
 *   th        = BLAKE2b-256("sahara-v1/side/transcript" | lp8(requestId) | lp16(offer) | lp16(answer))
 *   key_dir   = BLAKE2b-256(key = crypto_kx key of that direction, label_dir | th)
 *   message   = XChaCha20-Poly1305(key_dir, nonce = 20 zero bytes | u32 BE seq, pad(text),
 *                                  ad = "sahara-v1/side/message" | lp8(requestId) | dir | u32 BE seq)
 */
const VERSION = 1;
const KIND_OFFER = 1;
const KIND_ANSWER = 2;
const ascii = new TextEncoder();

export type SideRole = "supervisor" | "counselor";

export type SideKeys = Readonly<{ identitySecretKey: Uint8Array; certificate: Uint8Array }>;
export type SideTrust = Readonly<{
  orgPublicKey: Uint8Array;
  nowMs: number;
  revocations?: VerifiedRevocationList;
}>;

export type SideSealed = Readonly<{ seq: number; ciphertext: Uint8Array }>;

export type SideConversation = Readonly<{
  seal: (text: Uint8Array) => Result<SideSealed, "too-large" | "sequence-exhausted" | "wiped">;
  /** Sequence numbers only go up: a replayed or reordered message is refused. */
  open: (seq: number, ciphertext: Uint8Array) => Result<Uint8Array, "decrypt-failed" | "replayed" | "wiped">;
  wipe: () => void;
}>;

/** The supervisor's half-open state between offer and answer. */
export type SideOffer = Readonly<{
  hello: Uint8Array;
  complete: (
    answer: Uint8Array,
    trust: SideTrust,
    /** The staff id the request named: the answer must be signed by that colleague's certificate. */
    counselor: string,
  ) => Result<Readonly<{ conversation: SideConversation; peer: CounselorIdentity }>, SideError>;
  wipe: () => void;
}>;

function idBytes(requestId: string): Uint8Array {
  const id = ascii.encode(requestId);
  if (id.length < 1 || id.length > 255) throw new Error("side channel: request id out of range");
  return id;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const u8 = (n: number) => Uint8Array.of(n);
const u16 = (n: number) => Uint8Array.of(n >>> 8, n & 0xff);
const u32 = (n: number) => Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
const lp8 = (b: Uint8Array) => concat([u8(b.length), b]);
const lp16 = (b: Uint8Array) => concat([u16(b.length), b]);

function signedPart(
  kind: number,
  requestId: string,
  ephemeral: Uint8Array,
  certificate: Uint8Array,
  offer: Uint8Array | null,
): Uint8Array {
  const parts = [
    LABEL_SIDE_HELLO,
    u8(kind),
    lp8(idBytes(requestId)),
    ephemeral,
    certificateHash(certificate),
  ];
  if (offer) parts.push(sodium().crypto_generichash(32, offer, null));
  return concat(parts);
}

function makeHello(
  kind: number,
  requestId: string,
  keys: SideKeys,
  ephemeral: EphemeralKeyPair,
  offer: Uint8Array | null,
): Uint8Array {
  const signature = sodium().crypto_sign_detached(
    signedPart(kind, requestId, ephemeral.publicKey, keys.certificate, offer),
    keys.identitySecretKey,
  );
  return concat([u8(VERSION), u8(kind), ephemeral.publicKey, lp16(keys.certificate), signature]);
}

type ParsedHello = Readonly<{ ephemeral: Uint8Array; certificate: Uint8Array; signature: Uint8Array }>;

function parseHello(bytes: Uint8Array, kind: number): ParsedHello | null {
  if (bytes.length < 2 + 32 + 2 + 64 || bytes[0] !== VERSION || bytes[1] !== kind) return null;
  const n = ((bytes[34] ?? 0) << 8) | (bytes[35] ?? 0);
  if (bytes.length !== 36 + n + 64) return null;
  return {
    ephemeral: bytes.slice(2, 34),
    certificate: bytes.slice(36, 36 + n),
    signature: bytes.slice(36 + n),
  };
}

/** Verifies a hello's certificate and signature; the signer's identity, or why not. */
function verifyHello(
  bytes: Uint8Array,
  kind: number,
  requestId: string,
  offer: Uint8Array | null,
  trust: SideTrust,
): Result<Readonly<{ hello: ParsedHello; peer: CounselorIdentity }>, SideError> {
  const hello = parseHello(bytes, kind);
  if (!hello) return err("bad-hello");
  const verified = verifyCertificate(hello.certificate, trust.orgPublicKey, trust.nowMs, trust.revocations);
  if (!verified.ok) return verified;
  const signed = signedPart(kind, requestId, hello.ephemeral, hello.certificate, offer);
  if (!verifySignature(hello.signature, signed, verified.value.body.subjectPublicKey))
    return err("bad-hello-signature");
  return ok({ hello, peer: identityOf(verified.value.body) });
}

/** Step 1, the supervisor: a fresh ephemeral key and the signed offer. */
export function createSideOffer(requestId: string, keys: SideKeys): SideOffer {
  const s = sodium();
  const ephemeral = generateEphemeralKeyPair();
  const hello = makeHello(KIND_OFFER, requestId, keys, ephemeral, null);
  let used = false;
  return {
    hello,
    complete: (answer, trust, counselor) => {
      if (used) return err("bad-hello");
      const checked = verifyHello(answer, KIND_ANSWER, requestId, hello, trust);
      if (!checked.ok) return checked;
      // Threat: the relay forwarding another colleague's answer in place of the one who asked.
      if (checked.value.peer.staffId !== counselor) return err("wrong-peer");
      const conversation = derive(
        "supervisor",
        requestId,
        ephemeral,
        checked.value.hello.ephemeral,
        hello,
        answer,
      );
      if (!conversation) return err("bad-hello");
      used = true;
      s.memzero(ephemeral.secretKey);
      return ok({ conversation, peer: checked.value.peer });
    },
    wipe: () => {
      used = true;
      s.memzero(ephemeral.secretKey);
    },
  };
}

/** Step 2, the counselor: checks the offer came from a certified supervisor or admin, answers. */
export function answerSideOffer(
  requestId: string,
  offer: Uint8Array,
  keys: SideKeys,
  trust: SideTrust,
): Result<
  Readonly<{ answer: Uint8Array; conversation: SideConversation; peer: CounselorIdentity }>,
  SideError
> {
  const checked = verifyHello(offer, KIND_OFFER, requestId, null, trust);
  if (!checked.ok) return checked;
  // Threat: another counselor (or a relay replaying a counselor's hello) posing as a supervisor.
  if (checked.value.peer.role === "counselor") return err("wrong-role");
  const ephemeral = generateEphemeralKeyPair();
  const answer = makeHello(KIND_ANSWER, requestId, keys, ephemeral, offer);
  const conversation = derive(
    "counselor",
    requestId,
    ephemeral,
    checked.value.hello.ephemeral,
    offer,
    answer,
  );
  sodium().memzero(ephemeral.secretKey);
  if (!conversation) return err("bad-hello");
  return ok({ answer, conversation, peer: checked.value.peer });
}

function derive(
  role: SideRole,
  requestId: string,
  own: EphemeralKeyPair,
  peer: Uint8Array,
  offer: Uint8Array,
  answer: Uint8Array,
): SideConversation | null {
  const s = sodium();
  if (peer.length !== 32 || s.is_zero(peer)) return null;
  let kx: { sharedRx: Uint8Array; sharedTx: Uint8Array };
  try {
    kx =
      role === "supervisor"
        ? s.crypto_kx_server_session_keys(own.publicKey, own.secretKey, peer)
        : s.crypto_kx_client_session_keys(own.publicKey, own.secretKey, peer);
  } catch {
    return null; // low-order point
  }
  const id = idBytes(requestId);
  const th = s.crypto_generichash(
    32,
    concat([LABEL_SIDE_TRANSCRIPT, lp8(id), lp16(offer), lp16(answer)]),
    null,
  );
  // Supervisor sends with its kx tx key (= the counselor's rx), and the reverse.
  const s2cKx = role === "supervisor" ? kx.sharedTx : kx.sharedRx;
  const c2sKx = role === "supervisor" ? kx.sharedRx : kx.sharedTx;
  const s2c = s.crypto_generichash(32, concat([LABEL_SIDE_KEY_S2C, th]), s2cKx);
  const c2s = s.crypto_generichash(32, concat([LABEL_SIDE_KEY_C2S, th]), c2sKx);
  s.memzero(kx.sharedRx);
  s.memzero(kx.sharedTx);
  const send = role === "supervisor" ? { key: s2c, dir: 0 } : { key: c2s, dir: 1 };
  const receive = role === "supervisor" ? { key: c2s, dir: 1 } : { key: s2c, dir: 0 };
  return conversationOf(id, send, receive);
}

type Direction = { key: Uint8Array; dir: number };

function nonce(seq: number): Uint8Array {
  const n = new Uint8Array(24);
  n.set(u32(seq), 20);
  return n;
}

const adFor = (id: Uint8Array, dir: number, seq: number) =>
  concat([LABEL_SIDE_MESSAGE, lp8(id), u8(dir), u32(seq)]);

function conversationOf(id: Uint8Array, send: Direction, receive: Direction): SideConversation {
  const s = sodium();
  let sent = 0;
  let received = 0;
  let wiped = false;
  return {
    seal: (text) => {
      if (wiped) return err("wiped");
      if (sent >= MAX_SIDE_SEQ) return err("sequence-exhausted");
      const padded = pad(text);
      if (!padded.ok) return padded;
      const seq = ++sent;
      const ciphertext = s.crypto_aead_xchacha20poly1305_ietf_encrypt(
        padded.value,
        adFor(id, send.dir, seq),
        null,
        nonce(seq),
        send.key,
      );
      s.memzero(padded.value);
      return ok({ seq, ciphertext });
    },
    open: (seq, ciphertext) => {
      if (wiped) return err("wiped");
      if (!Number.isInteger(seq) || seq <= received || seq > MAX_SIDE_SEQ) return err("replayed");
      let padded: Uint8Array;
      try {
        padded = s.crypto_aead_xchacha20poly1305_ietf_decrypt(
          null,
          ciphertext,
          adFor(id, receive.dir, seq),
          nonce(seq),
          receive.key,
        );
      } catch {
        return err("decrypt-failed");
      }
      const text = unpad(padded);
      s.memzero(padded);
      if (!text.ok) return err("decrypt-failed");
      received = seq;
      return ok(text.value);
    },
    wipe: () => {
      wiped = true;
      s.memzero(send.key);
      s.memzero(receive.key);
    },
  };
}
