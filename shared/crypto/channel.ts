import { MAX_FRAME_BYTES, MAX_SEQUENCE, MAX_UNACKED_FRAMES } from "../protocol/limits.ts";
import { err, ok, type Result } from "../result.ts";
import { associatedData, associatedDataPrefix, type Direction } from "./associated-data.ts";
import type { OpenError, SealError } from "./errors.ts";
import { pad, unpad } from "./padding.ts";
import { destroyStreamState, type StreamState, sodium } from "./sodium.ts";
import type { StreamSecrets } from "./transcript.ts";

/** A sealed frame: what goes into `frame.seq` and `frame.ciphertext`. */
export type SealedFrame = Readonly<{ seq: number; ciphertext: Uint8Array }>;

/** An opened frame. `final` is true for the peer's closing frame (TAG_FINAL). */
export type OpenedFrame = Readonly<{ seq: number; payload: Uint8Array; final: boolean }>;

export type ChannelStatus = Readonly<{
  /** Next sequence number to send / expected to receive. */
  nextSendSeq: number;
  nextReceiveSeq: number;
  sentFinal: boolean;
  receivedFinal: boolean;
  wiped: boolean;
}>;

/** One end of an established session: a secretstream per direction (PROTOCOL.md "Channel"). */
export type Channel = Readonly<{
  sessionId: string;
  epoch: number;
  /** Pads and encrypts one payload (TAG_REKEY: the key ratchets after every frame). */
  seal(payload: Uint8Array): Result<SealedFrame, SealError>;
  /** Seals the last frame of this direction (TAG_FINAL), then refuses further seals. */
  close(payload: Uint8Array): Result<SealedFrame, SealError>;
  /** Opens the frame `seq`. Duplicates are refused before any decryption is attempted. */
  open(seq: number, ciphertext: Uint8Array): Result<OpenedFrame, OpenError>;
  /** End-to-end ack: the peer opened every frame up to and including `seq` (ignored if never sent). */
  ack(seq: number): void;
  /** Sealed frames not yet acked, in order: resend these exact bytes after a reconnect. */
  unacked(): readonly SealedFrame[];
  status(): ChannelStatus;
  /** Zeroes both stream states and everything held; every later call answers `wiped`. */
  wipe(): void;
}>;

export type ChannelParams = Readonly<{
  sessionId: string;
  epoch: number;
  sendDirection: Direction;
  /** Consumed: the channel zeroes these once its stream states exist. */
  send: StreamSecrets;
  receive: StreamSecrets;
}>;

/**
 * The stream header is derived from the transcript, never sent: both sides build the same
 * state with `init_pull(header, key)`, which is exactly what `init_push` builds after drawing
 * a random header. Safe because every (key, header) pair is used once: keys are fresh per
 * handshake and direction. So no frame is special and a relay cannot tamper with a header.
 */
export function createChannel(params: ChannelParams): Channel {
  const s = sodium();
  const TAG_REKEY = s.crypto_secretstream_xchacha20poly1305_TAG_REKEY;
  const TAG_FINAL = s.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  const receiveDirection: Direction =
    params.sendDirection === "survivor-to-counselor" ? "counselor-to-survivor" : "survivor-to-counselor";
  const sendAd = associatedDataPrefix(params.sessionId, params.sendDirection, params.epoch);
  const receiveAd = associatedDataPrefix(params.sessionId, receiveDirection, params.epoch);
  let sendState: StreamState | null = s.crypto_secretstream_xchacha20poly1305_init_pull(
    params.send.header,
    params.send.key,
  );
  let receiveState: StreamState | null = s.crypto_secretstream_xchacha20poly1305_init_pull(
    params.receive.header,
    params.receive.key,
  );
  for (const secret of [params.send.key, params.send.header, params.receive.key, params.receive.header]) {
    s.memzero(secret);
  }
  let nextSendSeq = 0;
  let nextReceiveSeq = 0;
  let wiped = false;
  const pending: SealedFrame[] = [];

  const dropSend = () => {
    if (sendState !== null) destroyStreamState(sendState);
    sendState = null;
  };
  const dropReceive = () => {
    if (receiveState !== null) destroyStreamState(receiveState);
    receiveState = null;
  };

  const sealWith = (payload: Uint8Array, tag: number): Result<SealedFrame, SealError> => {
    if (wiped) return err("wiped");
    if (sendState === null) return err("closed");
    if (pending.length >= MAX_UNACKED_FRAMES) return err("too-many-unacked");
    if (nextSendSeq > MAX_SEQUENCE) return err("sequence-exhausted");
    const padded = pad(payload);
    if (!padded.ok) return padded;
    const seq = nextSendSeq++;
    const ciphertext = s.crypto_secretstream_xchacha20poly1305_push(
      sendState,
      padded.value,
      associatedData(sendAd, seq),
      tag,
    );
    s.memzero(padded.value);
    const frame: SealedFrame = { seq, ciphertext };
    pending.push(frame);
    if (tag === TAG_FINAL) dropSend();
    return ok(frame);
  };

  const open = (seq: number, ciphertext: Uint8Array): Result<OpenedFrame, OpenError> => {
    if (wiped) return err("wiped");
    if (!Number.isSafeInteger(seq) || seq < 0 || seq > MAX_SEQUENCE) return err("out-of-order");
    // Before any decryption: a replayed or retransmitted frame costs nothing and changes nothing.
    if (seq < nextReceiveSeq) return err("duplicate");
    if (receiveState === null) return err("closed");
    // secretstream only opens frames in order; the transport is ordered, so a gap is a drop.
    if (seq > nextReceiveSeq) return err("out-of-order");
    if (!(ciphertext instanceof Uint8Array) || ciphertext.length > MAX_FRAME_BYTES)
      return err("decrypt-failed");
    let opened: { message: Uint8Array; tag: number } | false;
    try {
      // Returns false on a forgery but THROWS on a truncated frame: both are `decrypt-failed`.
      // A failed pull leaves the state untouched, so the genuine frame can still be opened.
      opened = s.crypto_secretstream_xchacha20poly1305_pull(
        receiveState,
        ciphertext,
        associatedData(receiveAd, seq),
      );
    } catch {
      return err("decrypt-failed");
    }
    if (opened === false) return err("decrypt-failed");
    nextReceiveSeq++;
    const { message, tag } = opened;
    const payload = unpad(message);
    s.memzero(message);
    // Authentic but not what this protocol sends (tag or padding): the peer is broken; stop.
    if (!payload.ok || (tag !== TAG_REKEY && tag !== TAG_FINAL)) {
      dropReceive();
      return err("decrypt-failed");
    }
    if (tag === TAG_FINAL) dropReceive();
    return ok({ seq, payload: payload.value, final: tag === TAG_FINAL });
  };

  return {
    sessionId: params.sessionId,
    epoch: params.epoch,
    seal: (payload) => sealWith(payload, TAG_REKEY),
    close: (payload) => sealWith(payload, TAG_FINAL),
    open,
    ack(seq) {
      // Acks travel in clear through the relay: one for a frame never sent is forged; ignore it.
      // A forged ack for a sent frame can only cost that frame's resend, and the ordered stream
      // then stops at the gap (`out-of-order`), so the loss is never silent.
      if (!Number.isSafeInteger(seq) || seq >= nextSendSeq) return;
      while (pending.length > 0 && (pending[0]?.seq ?? Number.POSITIVE_INFINITY) <= seq) pending.shift();
    },
    unacked: () => [...pending],
    status: () => ({
      nextSendSeq,
      nextReceiveSeq,
      sentFinal: sendState === null && !wiped,
      receivedFinal: receiveState === null && !wiped,
      wiped,
    }),
    wipe() {
      if (wiped) return;
      dropSend();
      dropReceive();
      for (const frame of pending) s.memzero(frame.ciphertext);
      pending.length = 0;
      wiped = true;
    },
  };
}
