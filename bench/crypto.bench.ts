import { counselorAccept, createSurvivorHandshake, ready } from "../shared/crypto/index.ts";
import { sodium } from "../shared/crypto/sodium.ts";
import {
  generateIdentityKeyPair,
  generateOrgKeyPair,
  issueCertificate,
  ready as staffReady,
} from "../shared/crypto/staff/index.ts";
import type { StaffId } from "../shared/protocol/ids.ts";
import { type BenchRow, measure } from "./run.ts";

/**
 * Crypto core costs on Node (PROTOCOL.md targets): a handshake per side < 2 ms, seal+open
 * < 50 µs. Baselines are the raw libsodium calls the same work needs, measured in this run,
 * so the ratio shows what the protocol layer (padding, AD, transcript, checks) adds.
 */
const SESSION_ID = "YmVuY2gtc2Vzc2lvbi0wMDE";

export async function run(): Promise<readonly BenchRow[]> {
  await ready();
  await staffReady();
  const s = sodium();
  const now = Date.now();
  const org = generateOrgKeyPair();
  const identity = generateIdentityKeyPair();
  const issued = issueCertificate(org.secretKey, {
    role: "counselor",
    subjectPublicKey: identity.publicKey,
    notBefore: now - 1000,
    notAfter: now + 86_400_000,
    staffId: "bench" as StaffId,
    displayName: "Bench",
  });
  if (!issued.ok) throw new Error(issued.error);
  const certificate = issued.value;

  // ---- handshake, each side timed separately over the same rounds ----
  let survivorMs = 0;
  let counselorMs = 0;
  let rounds = 0;
  const until = performance.now() + 2500;
  while (performance.now() < until) {
    const t0 = performance.now();
    const survivor = createSurvivorHandshake();
    const t1 = performance.now();
    const accepted = counselorAccept({
      sessionId: SESSION_ID,
      epoch: 0,
      survivorPublicKey: survivor.publicKey,
      identitySecretKey: identity.secretKey,
      certificate,
    });
    const t2 = performance.now();
    if (!accepted.ok) throw new Error(accepted.error);
    const done = survivor.complete(accepted.value.handshake, {
      sessionId: SESSION_ID,
      epoch: 0,
      orgPublicKey: org.publicKey,
      nowMs: now,
    });
    const t3 = performance.now();
    if (!done.ok) throw new Error(done.error);
    done.value.channel.wipe();
    accepted.value.channel.wipe();
    survivorMs += t1 - t0 + (t3 - t2);
    counselorMs += t2 - t1;
    rounds++;
  }
  // Raw equivalents: survivor = keygen + 2 verifies + kx; counselor = keygen + sign + kx.
  const peer = s.crypto_kx_keypair();
  const signature = s.crypto_sign_detached(certificate, identity.secretKey);
  const survivorBaseline = measure(() => {
    const own = s.crypto_kx_seed_keypair(s.randombytes_buf(32));
    s.crypto_sign_verify_detached(signature, certificate, identity.publicKey);
    s.crypto_sign_verify_detached(signature, certificate, identity.publicKey);
    s.crypto_kx_client_session_keys(own.publicKey, own.privateKey, peer.publicKey);
  }, 1000);
  const counselorBaseline = measure(() => {
    const own = s.crypto_kx_seed_keypair(s.randombytes_buf(32));
    s.crypto_sign_detached(certificate, identity.secretKey);
    s.crypto_kx_server_session_keys(own.publicKey, own.privateKey, peer.publicKey);
  }, 1000);

  // ---- seal + open ----
  const rows: BenchRow[] = [
    {
      name: "handshake survivor side",
      value: (survivorMs * 1000) / rounds,
      unit: "µs/op",
      baseline: survivorBaseline,
      target: 2000,
    },
    {
      name: "handshake counselor side",
      value: (counselorMs * 1000) / rounds,
      unit: "µs/op",
      baseline: counselorBaseline,
      target: 2000,
    },
  ];
  const survivor = createSurvivorHandshake();
  const accepted = counselorAccept({
    sessionId: SESSION_ID,
    epoch: 0,
    survivorPublicKey: survivor.publicKey,
    identitySecretKey: identity.secretKey,
    certificate,
  });
  if (!accepted.ok) throw new Error(accepted.error);
  const done = survivor.complete(accepted.value.handshake, {
    sessionId: SESSION_ID,
    epoch: 0,
    orgPublicKey: org.publicKey,
    nowMs: now,
  });
  if (!done.ok) throw new Error(done.error);
  const tx = done.value.channel;
  const rx = accepted.value.channel;
  const key = s.crypto_aead_xchacha20poly1305_ietf_keygen();
  const nonce = s.randombytes_buf(24);
  const ad = new Uint8Array(36);
  for (const size of [100, 4000]) {
    const payload = new Uint8Array(size).fill(0x61);
    const value = measure(() => {
      const sealed = tx.seal(payload);
      if (!sealed.ok) throw new Error(sealed.error);
      tx.ack(sealed.value.seq);
      const opened = rx.open(sealed.value.seq, sealed.value.ciphertext);
      if (!opened.ok) throw new Error(opened.error);
    });
    const baseline = measure(() => {
      const c = s.crypto_aead_xchacha20poly1305_ietf_encrypt(payload, ad, null, nonce, key);
      s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, c, ad, nonce, key);
    });
    rows.push({
      name: `seal+open ${size === 100 ? "100 B" : "4 KB"}`,
      value,
      unit: "µs/op",
      baseline,
      target: 50,
    });
  }
  return rows;
}
