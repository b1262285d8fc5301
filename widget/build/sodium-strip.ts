import { readFileSync, realpathSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import binaryen from "binaryen";
import { parseAst } from "vite";
import {
  checkSodium,
  REQUIRED_FUNCTIONS,
  REQUIRED_INTERNALS,
  type Sodium,
} from "../../shared/crypto/sodium.ts";

/**
 * libsodium's WebAssembly for the chat frame, without the functions the frame never calls.
 *
 * libsodium.mjs (the emscripten glue) copies each wasm export onto its module object
 * (`g._crypto_box_seal = A.za`, export names minified); libsodium-wrappers then offers a wrapper
 * for each `_crypto_*` that is a function and reads every constant (`*_bytes()` and the like) at
 * `ready`. A dropped export so reads as `undefined`: its wrapper is simply not offered, and
 * `checkSodium` names any required one that went missing.
 *
 * Kept: every export without parameters (constants), every export not named `crypto_*`
 * (runtime, `malloc`/`free`, `sodium_*`, `randombytes_*`), and every `crypto_*` export that the
 * wrappers the frame calls reach — `REQUIRED_FUNCTIONS`, plus `crypto_secretbox_easy` and
 * `crypto_secretbox_open_easy`, which libsodium-wrappers calls in its own self-test at `ready` —
 * found by reading libsodium-wrappers' source (each wrapper and the helpers it calls,
 * transitively). The rest is dropped, Binaryen removes what no export reaches any more, and
 * optimises for size. `verifyStrippedSodium` then loads the result with the real glue and
 * wrappers in Node and checks every required function against the full library.
 */

const REPO = resolve(import.meta.dirname, "../..");
export const SODIUM_GLUE = realpathSync(
  resolve(REPO, "node_modules/libsodium/dist/modules-esm/libsodium.mjs"),
);
export const SODIUM_WRAPPERS = realpathSync(
  resolve(REPO, "node_modules/libsodium-wrappers/dist/modules-esm/libsodium-wrappers.mjs"),
);

/** Called by libsodium-wrappers itself when it starts (its self-test), whatever the frame uses. */
const WRAPPERS_INIT = ["crypto_secretbox_easy", "crypto_secretbox_open_easy"] as const;

/**
 * The features libsodium's wasm uses (sign extension, memory.copy/fill), and so the only ones
 * Binaryen may use in its output: the file then runs wherever libsodium's own does.
 */
const FEATURES = binaryen.Features.SignExt | binaryen.Features.BulkMemoryOpt;

const BASE64_WASM = /\("([A-Za-z0-9+/]{100000,}={0,2})"\)/g;

/** libsodium's own WebAssembly, as the glue carries it (base64). */
export function sodiumWasmFromGlue(glue: string): Uint8Array<ArrayBuffer> {
  const found = [...glue.matchAll(BASE64_WASM)];
  if (found.length !== 1 || !found[0]?.[1])
    throw new Error("libsodium.mjs: no single inlined WebAssembly string");
  return new Uint8Array(Buffer.from(found[0][1], "base64"));
}

/** `crypto_*` function name → its (minified) wasm export name, read from the glue. */
export function glueExportNames(glue: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const [, name, exported] of glue.matchAll(/[\w$]+\._(crypto_\w+)=[\w$]+\.([\w$]+)(?=[,;}])/g))
    if (name && exported) names.set(name, exported);
  if (!names.has("crypto_box_seal") || names.size < 100)
    throw new Error("libsodium.mjs: its export table no longer has the expected shape");
  return names;
}

type Node = { type: string; [key: string]: unknown };

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && typeof (value as Node).type === "string";
}

function children(node: Node): Node[] {
  const out: Node[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === "type") continue;
    for (const item of Array.isArray(value) ? value : [value]) if (isNode(item)) out.push(item);
  }
  return out;
}

const FUNCTION = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);

/** Identifiers a binding pattern declares. */
function patternNames(pattern: unknown, into: Set<string>): void {
  if (!isNode(pattern)) return;
  if (pattern.type === "Identifier") into.add(pattern.name as string);
  else if (pattern.type === "AssignmentPattern") patternNames(pattern.left, into);
  else if (pattern.type === "RestElement") patternNames(pattern.argument, into);
  else if (pattern.type === "ArrayPattern")
    for (const e of pattern.elements as unknown[]) patternNames(e, into);
  else if (pattern.type === "ObjectPattern")
    for (const p of pattern.properties as Node[]) patternNames(p.type === "RestElement" ? p : p.value, into);
}

/** The names a function declares for its body: parameters, `var`/`let`/`const`, inner functions. */
function declaredIn(fn: Node): Set<string> {
  const names = new Set<string>();
  for (const param of fn.params as unknown[]) patternNames(param, names);
  if (fn.type === "FunctionExpression" && isNode(fn.id)) names.add(fn.id.name as string);
  const visit = (node: Node) => {
    if (node.type === "FunctionDeclaration" && isNode(node.id)) names.add(node.id.name as string);
    if (FUNCTION.has(node.type)) return;
    if (node.type === "VariableDeclarator") patternNames(node.id, names);
    if (node.type === "CatchClause") patternNames(node.param, names);
    if (node.type === "ClassDeclaration" && isNode(node.id)) names.add(node.id.name as string);
    for (const child of children(node)) visit(child);
  };
  if (isNode(fn.body)) visit(fn.body);
  return names;
}

/**
 * Walks `node`, reporting every `._crypto_*` member and every free identifier (one no enclosing
 * function declares) that names a top-level definition.
 */
function references(
  node: Node,
  scopes: readonly Set<string>[],
  topLevel: ReadonlySet<string>,
  report: (kind: "crypto" | "definition", name: string) => void,
): void {
  const go = (child: unknown, inner = scopes) => {
    if (isNode(child)) references(child, inner, topLevel, report);
  };
  if (FUNCTION.has(node.type)) {
    const inner = [...scopes, declaredIn(node)];
    for (const param of node.params as unknown[]) go(param, inner);
    go(node.body, inner);
    return;
  }
  switch (node.type) {
    case "Identifier": {
      const name = node.name as string;
      if (topLevel.has(name) && !scopes.some((scope) => scope.has(name))) report("definition", name);
      return;
    }
    case "MemberExpression":
      go(node.object);
      if (node.computed) go(node.property);
      else {
        const property = ((node.property as Node).name as string | undefined) ?? "";
        if (property.startsWith("_crypto_")) report("crypto", property.slice(1));
      }
      return;
    case "Property":
    case "MethodDefinition":
    case "PropertyDefinition":
      if (node.computed) go(node.key);
      go(node.value);
      return;
    case "VariableDeclarator":
      go(node.init);
      return;
    case "LabeledStatement":
      go(node.body);
      return;
    case "BreakStatement":
    case "ContinueStatement":
      return;
    default:
      for (const child of children(node)) go(child);
  }
}

/**
 * The `crypto_*` wasm functions that libsodium-wrappers' `functions` (names of wrappers) reach:
 * the wrapper's own body and, transitively, every top-level helper it names (scopes resolved,
 * so a local variable that shares a minified name with a helper is not taken for it).
 */
export function wrapperNeeds(wrappers: string, functions: readonly string[]): Set<string> {
  const program = parseAst(wrappers) as unknown as { body: Node[] };
  const definitions = new Map<string, Node>();
  for (const statement of program.body) {
    if (
      (statement.type === "FunctionDeclaration" || statement.type === "ClassDeclaration") &&
      isNode(statement.id)
    )
      definitions.set(statement.id.name as string, statement);
    if (statement.type === "VariableDeclaration")
      for (const declarator of statement.declarations as Node[]) {
        const names = new Set<string>();
        patternNames(declarator.id, names);
        for (const name of names) definitions.set(name, declarator);
      }
  }
  // The wrapper table: an array of names and, declared next to it, the array of the functions.
  let table: Map<string, string> | null = null;
  const find = (node: Node) => {
    if (table) return;
    if (node.type === "VariableDeclaration") {
      const values = (node.declarations as Node[]).map((d) => d.init);
      for (let i = 0; i + 1 < values.length; i++) {
        const names = values[i];
        const fns = values[i + 1];
        if (
          !isNode(names) ||
          !isNode(fns) ||
          names.type !== "ArrayExpression" ||
          fns.type !== "ArrayExpression"
        )
          continue;
        const nameList = (names.elements as Node[]).map((e) => (e.type === "Literal" ? String(e.value) : ""));
        const fnList = (fns.elements as Node[]).map((e) =>
          e.type === "Identifier" ? (e.name as string) : "",
        );
        if (nameList.includes("crypto_box_seal") && nameList.length === fnList.length)
          table = new Map(nameList.map((name, at) => [name, fnList[at] as string]));
      }
    }
    for (const child of children(node)) find(child);
  };
  for (const statement of program.body) find(statement);
  const wrapperTable = table as Map<string, string> | null;
  if (!wrapperTable)
    throw new Error("libsodium-wrappers: its table of wrappers no longer has the expected shape");

  const topLevel = new Set(definitions.keys());
  const needs = new Set<string>();
  const seen = new Set<string>();
  const queue: string[] = [];
  for (const name of functions) {
    const fn = wrapperTable.get(name);
    // `memzero`, `is_zero` and the like are plain JavaScript, outside the table.
    if (!fn && !name.startsWith("crypto_")) continue;
    if (!fn || !definitions.has(fn)) throw new Error(`libsodium-wrappers: no wrapper for ${name}`);
    queue.push(fn);
  }
  while (queue.length > 0) {
    const name = queue.pop() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    references(definitions.get(name) as Node, [], topLevel, (kind, found) => {
      if (kind === "crypto") needs.add(found);
      else if (!seen.has(found)) queue.push(found);
    });
  }
  // The wrapper of every required function calls its own wasm function.
  for (const name of functions)
    if (name.startsWith("crypto_") && !needs.has(name))
      throw new Error(`libsodium-wrappers: the wrapper of ${name} no longer calls _${name}`);
  return needs;
}

export type StrippedSodium = Readonly<{ wasm: Uint8Array<ArrayBuffer>; kept: string[]; dropped: string[] }>;

/** The frame's wasm: `functions` (wrapper names) and `internals` kept, the rest dropped. */
export function stripSodiumWasm(
  wasm: Uint8Array,
  glue: string,
  wrappers: string,
  functions: readonly string[] = REQUIRED_FUNCTIONS,
  internals: readonly string[] = REQUIRED_INTERNALS,
): StrippedSodium {
  const exportNames = glueExportNames(glue);
  const needs = wrapperNeeds(wrappers, [...functions, ...WRAPPERS_INIT]);
  for (const internal of internals) if (internal.startsWith("_crypto_")) needs.add(internal.slice(1));

  const module = binaryen.readBinary(wasm);
  try {
    module.setFeatures(FEATURES);
    if (!module.validate())
      throw new Error("libsodium's WebAssembly uses features the frame build does not allow");
    const kept: string[] = [];
    const dropped: string[] = [];
    for (const [name, exported] of exportNames) {
      const ref = module.getExport(exported);
      if (!ref) throw new Error(`libsodium's WebAssembly lacks the export of ${name}`);
      const info = binaryen.getExportInfo(ref);
      const params =
        info.kind === binaryen.ExternalFunction
          ? binaryen.expandType(binaryen.getFunctionInfo(module.getFunction(info.value)).params).length
          : 0;
      if (needs.has(name) || params === 0) kept.push(name);
      else {
        module.removeExport(exported);
        dropped.push(name);
      }
    }
    binaryen.setOptimizeLevel(2);
    binaryen.setShrinkLevel(1);
    module.runPasses(["remove-unused-module-elements"]);
    module.optimize();
    if (!module.validate()) throw new Error("the stripped libsodium WebAssembly does not validate");
    const out = new Uint8Array(module.emitBinary());
    const present = new Set(WebAssembly.Module.exports(new WebAssembly.Module(out)).map((e) => e.name));
    const lost = kept.filter((name) => !present.has(exportNames.get(name) as string));
    if (lost.length > 0) throw new Error(`the stripped libsodium WebAssembly lost ${lost.join(", ")}`);
    return { wasm: out, kept, dropped };
  } finally {
    module.dispose();
  }
}

/**
 * libsodium-wrappers as the frame runs it — the real glue and wrappers — on `wasm`, in Node:
 * the wrappers' source imported with its `libsodium` import pointed at a shim that hands the
 * glue this wasm through emscripten's `instantiateWasm`.
 */
export async function loadSodiumWith(wasm: Uint8Array): Promise<Sodium> {
  const shim = `import glue from ${JSON.stringify(pathToFileURL(SODIUM_GLUE).href)};
const bytes = Uint8Array.from(atob(${JSON.stringify(Buffer.from(wasm).toString("base64"))}), (c) => c.charCodeAt(0));
export default (options) => glue({ ...options, instantiateWasm(imports, receive) {
  WebAssembly.instantiate(bytes, imports).then((r) => receive(r.instance, r.module));
  return {};
} });`;
  const shimUrl = `data:text/javascript;base64,${Buffer.from(shim).toString("base64")}`;
  const source = readFileSync(SODIUM_WRAPPERS, "utf8");
  const from = 'import e from"libsodium";';
  if (source.indexOf(from) !== 0) throw new Error("libsodium-wrappers: its import of libsodium changed");
  const wrappers = `import e from${JSON.stringify(shimUrl)};${source.slice(from.length)}`;
  const loaded = (await import(
    `data:text/javascript;base64,${Buffer.from(wrappers).toString("base64")}`
  )) as {
    default: Sodium;
  };
  await loaded.default.ready;
  return loaded.default;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/**
 * Throws unless every required function exists on `stripped` and gives the full library's
 * answers (`reference`) on fixed inputs; randomised ones (sealed boxes) are opened across.
 */
export function knownAnswers(stripped: Sodium, reference: Sodium): void {
  checkSodium(stripped, REQUIRED_FUNCTIONS, REQUIRED_INTERNALS);
  const failures: string[] = [];
  const same = (name: string, a: Uint8Array | boolean, b: Uint8Array | boolean) => {
    const ok = typeof a === "boolean" || typeof b === "boolean" ? a === b : equal(a, b);
    if (!ok) failures.push(name);
  };
  const seed = (n: number) => Uint8Array.from({ length: 32 }, (_, i) => (i * 7 + n) & 255);
  const message = new TextEncoder().encode("known answer: سلام");
  for (const s of [stripped, reference]) s.memzero(new Uint8Array(4));

  const run = (s: Sodium) => {
    const sign = s.crypto_sign_seed_keypair(seed(1));
    const kxA = s.crypto_kx_seed_keypair(seed(2));
    const kxB = s.crypto_kx_seed_keypair(seed(3));
    const client = s.crypto_kx_client_session_keys(kxA.publicKey, kxA.privateKey, kxB.publicKey);
    const server = s.crypto_kx_server_session_keys(kxB.publicKey, kxB.privateKey, kxA.publicKey);
    const nonce = s.randombytes_buf_deterministic(24, seed(4));
    const sealed = s.crypto_aead_xchacha20poly1305_ietf_encrypt(message, message, null, nonce, seed(5));
    const state = s.crypto_secretstream_xchacha20poly1305_init_pull(nonce, seed(6));
    const pushed = s.crypto_secretstream_xchacha20poly1305_push(
      state,
      message,
      null,
      s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE,
    );
    const pullState = s.crypto_secretstream_xchacha20poly1305_init_pull(nonce, seed(6));
    const pulled = s.crypto_secretstream_xchacha20poly1305_pull(pullState, pushed, null);
    return {
      signPublic: sign.publicKey,
      signature: s.crypto_sign_detached(message, sign.privateKey),
      curvePublic: s.crypto_sign_ed25519_pk_to_curve25519(sign.publicKey),
      curveSecret: s.crypto_sign_ed25519_sk_to_curve25519(sign.privateKey),
      kxPublic: kxA.publicKey,
      sessionRx: client.sharedRx,
      sessionTx: server.sharedTx,
      hash: s.crypto_generichash(32, message, seed(7)),
      sealed,
      opened: s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed, message, nonce, seed(5)),
      pushed,
      pulled: pulled ? pulled.message : new Uint8Array(),
      verified: s.crypto_sign_verify_detached(
        s.crypto_sign_detached(message, sign.privateKey),
        message,
        sign.publicKey,
      ),
      zero: s.is_zero(new Uint8Array(8)),
    };
  };
  const a = run(stripped);
  const b = run(reference);
  for (const key of Object.keys(a) as (keyof typeof a)[]) same(key, a[key], b[key]);
  if (!equal(a.pulled, message) || !equal(a.opened, message) || !a.verified) failures.push("round trip");
  // Sealed boxes are randomised: seal on one side, open on the other.
  const box = reference.crypto_kx_seed_keypair(seed(8));
  const toReference = stripped.crypto_box_seal(message, box.publicKey);
  const toStripped = reference.crypto_box_seal(message, box.publicKey);
  same(
    "crypto_box_seal",
    reference.crypto_box_seal_open(toReference, box.publicKey, box.privateKey),
    message,
  );
  same(
    "crypto_box_seal_open",
    stripped.crypto_box_seal_open(toStripped, box.publicKey, box.privateKey),
    message,
  );
  if (stripped.randombytes_buf(32).length !== 32) failures.push("randombytes_buf");
  if (failures.length > 0)
    throw new Error(`the stripped libsodium differs from libsodium in ${failures.join(", ")}`);
}

/** Loads `wasm` with the glue and wrappers and checks it against the full library. */
export async function verifyStrippedSodium(wasm: Uint8Array): Promise<void> {
  const reference = (await import("libsodium-wrappers")).default;
  await reference.ready;
  knownAnswers(await loadSodiumWith(wasm), reference);
}
