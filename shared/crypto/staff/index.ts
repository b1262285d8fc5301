/**
 * Staff-side crypto (console only; the survivor bundle never imports this folder):
 *
 *   await ready()                                   loads the core and the sumo build
 *   generateStaffSalt() -> Uint8Array(16)
 *   deriveStaffKeys(password, salt, profile = STAFF_KDF_PROFILE)
 *     -> Result<{ authKey, wrappingKey }, "bad-parameters">        (slow: run in a Worker)
 *   wrapSecretKey(wrappingKey, secretKey, { purpose: "identity" | "org", staffId }) -> Uint8Array
 *   unwrapSecretKey(wrappingKey, wrapped, context) -> Result<Uint8Array, "bad-encoding" | "unwrap-failed">
 *   generateOrgKeyPair() / generateIdentityKeyPair() -> { publicKey, secretKey }
 *   issueCertificate(orgSecretKey, body) -> Result<Uint8Array, "invalid-body">
 *   signRevocationList(orgSecretKey, { issuedAt, revokedKeys }) -> Result<Uint8Array, "invalid-body">
 */
export {
  generateIdentityKeyPair,
  generateOrgKeyPair,
  issueCertificate,
  type SigningKeyPair,
  signRevocationList,
} from "./issue.ts";
export { unwrapSecretKey, type WrapContext, type WrapPurpose, wrapSecretKey } from "./key-wrap.ts";
export { ready } from "./sodium-sumo.ts";
export {
  deriveStaffKeys,
  generateStaffSalt,
  type KdfProfile,
  STAFF_KDF_PROFILE,
  STAFF_KDF_PROFILE_FOR_TESTING,
  STAFF_SALT_BYTES,
  type StaffKeys,
} from "./staff-keys.ts";
export {
  type OpenOrgKeyContext,
  type OrgKeyShareError,
  openOrgKey,
  type SealOrgKeyInput,
  sealOrgKey,
} from "./org-key-share.ts";
