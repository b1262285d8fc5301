/**
 * Error codes of the crypto core: the API is the code, never prose. Crypto failures are opaque
 * on purpose: `decrypt-failed` does not say whether a tag, a tag byte or the padding was wrong.
 */
export type CertificateError =
  | "bad-encoding"
  | "bad-signature"
  | "other-org"
  | "expired"
  | "not-yet-valid"
  | "revoked";

export type RevocationListError = "bad-encoding" | "bad-signature" | "other-org" | "not-yet-valid";

/** What the survivor's side of the handshake can end in (certificate errors included). */
export type HandshakeError =
  | CertificateError
  /** The accept blob does not decode (wrong version, lengths, trailing bytes). */
  | "bad-handshake"
  /** The counselor's signature does not cover this session, epoch and these two keys. */
  | "bad-transcript-signature"
  /** A public key is a low-order (or all-zero) X25519 point: no shared secret would result. */
  | "low-order-key"
  /** The handshake object was already completed or wiped. */
  | "used";

/** What the counselor's side can end in. */
export type AcceptError = "low-order-key" | "certificate-mismatch" | "bad-encoding";

export type SealError = "too-large" | "too-many-unacked" | "sequence-exhausted" | "closed" | "wiped";

export type OpenError = "duplicate" | "out-of-order" | "decrypt-failed" | "closed" | "wiped";

export type HandoverError = CertificateError | "decrypt-failed" | "bad-handover-signature";

/** What opening a side-conversation hello can end in (certificate errors included). */
export type SideError =
  | CertificateError
  /** Not a hello of the expected kind (wrong version, kind or lengths). */
  | "bad-hello"
  /** The signature does not cover this request, key and certificate (and offer, for an answer). */
  | "bad-hello-signature"
  /** An offer from a counselor certificate (only supervisors and admins answer requests). */
  | "wrong-role"
  /** An answer signed by someone other than the colleague whose request was opened. */
  | "wrong-peer";
