import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { openHandoverNote, sealHandoverNote } from "../shared/crypto/index.ts";
import { ready } from "../shared/crypto/staff/index.ts";
import {
  computeVectors,
  hex,
  unhex,
  VECTOR_NOW,
  VECTOR_SESSION_ID,
} from "../tests/support/crypto-vectors.ts";

/**
 * Writes tests/fixtures/crypto/vectors.json: `npm exec tsx scripts/gen-crypto-vectors.ts`
 * (or `node --import tsx scripts/gen-crypto-vectors.ts`). Run it only when the protocol
 * changes on purpose; the vectors test fails on any other change in the bytes.
 */
await ready();
const vectors = computeVectors();

// A sealed box draws its own ephemeral key inside libsodium, so this one vector is checked
// only in the receiving direction (the test opens it).
const identity = {
  publicKey: unhex(vectors.identity.publicKey),
  secretKey: unhex(vectors.identity.secretKey),
};
const note = new TextEncoder().encode('{"type":"handover-note","text":"prefers Urdu; safe to call after 5"}');
const sealed = sealHandoverNote({
  note,
  sessionId: VECTOR_SESSION_ID,
  recipientPublicKey: identity.publicKey,
  senderSecretKey: identity.secretKey,
  senderCertificate: unhex(vectors.certificate),
});
if (!sealed.ok) throw new Error(sealed.error);
const check = openHandoverNote(sealed.value, {
  sessionId: VECTOR_SESSION_ID,
  recipientPublicKey: identity.publicKey,
  recipientSecretKey: identity.secretKey,
  orgPublicKey: unhex(vectors.org.publicKey),
  nowMs: VECTOR_NOW,
});
if (!check.ok) throw new Error(check.error);

const out = resolve(import.meta.dirname, "../tests/fixtures/crypto/vectors.json");
writeFileSync(
  out,
  `${JSON.stringify({ ...vectors, handoverNote: { note: hex(note), sealed: hex(sealed.value) } }, null, 2)}\n`,
);
console.log(`wrote ${out}`);
