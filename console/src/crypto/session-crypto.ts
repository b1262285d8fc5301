import type { Channel, OpenedFrame } from "../../../shared/crypto/index.ts";
import { err, ok, type Result } from "../../../shared/result.ts";
import type { CryptoError, SealedFrameOut } from "./rpc.ts";

/**
 * The open chats' channels, by session id. A transfer or a new epoch replaces (and wipes) the
 * previous channel; ending a chat wipes its channel so nothing of it stays in worker memory.
 */
export type SessionCrypto = Readonly<{
  put: (sessionId: string, channel: Channel) => void;
  seal: (sessionId: string, payload: Uint8Array, final: boolean) => Result<SealedFrameOut, CryptoError>;
  open: (
    sessionId: string,
    epoch: number,
    seq: number,
    ciphertext: Uint8Array,
  ) => Result<OpenedFrame, CryptoError>;
  ack: (sessionId: string, seq: number) => void;
  unacked: (sessionId: string) => readonly SealedFrameOut[];
  wipe: (sessionId: string) => void;
  wipeAll: () => void;
}>;

export function sessionCrypto(): SessionCrypto {
  const channels = new Map<string, Channel>();
  const wipe = (sessionId: string) => {
    channels.get(sessionId)?.wipe();
    channels.delete(sessionId);
  };
  return {
    put: (sessionId, channel) => {
      wipe(sessionId);
      channels.set(sessionId, channel);
    },
    seal: (sessionId, payload, final) => {
      const channel = channels.get(sessionId);
      if (!channel) return err("unknown-session");
      const sealed = final ? channel.close(payload) : channel.seal(payload);
      payload.fill(0);
      if (sealed.ok) return ok(sealed.value);
      switch (sealed.error) {
        case "too-large":
          return err("too-large");
        case "closed":
        case "wiped":
          return err("closed");
        case "too-many-unacked":
        case "sequence-exhausted":
          return err("crypto-failed");
        default: {
          const never: never = sealed.error;
          return never;
        }
      }
    },
    open: (sessionId, epoch, seq, ciphertext) => {
      const channel = channels.get(sessionId);
      if (!channel || channel.epoch !== epoch) return err("unknown-session");
      const opened = channel.open(seq, ciphertext);
      if (opened.ok) return opened;
      switch (opened.error) {
        case "duplicate":
        case "out-of-order":
        case "decrypt-failed":
          return err(opened.error);
        case "closed":
        case "wiped":
          return err("closed");
        default: {
          const never: never = opened.error;
          return never;
        }
      }
    },
    ack: (sessionId, seq) => channels.get(sessionId)?.ack(seq),
    unacked: (sessionId) => channels.get(sessionId)?.unacked() ?? [],
    wipe,
    wipeAll: () => {
      for (const id of [...channels.keys()]) wipe(id);
    },
  };
}
