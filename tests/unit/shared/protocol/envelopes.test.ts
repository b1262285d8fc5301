import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AcceptSchema,
  AckSchema,
  FrameSchema,
  JoinSchema,
  MAX_EPOCH,
  MAX_FRAME_BYTES,
  MAX_HANDSHAKE_BYTES,
  MAX_SEQUENCE,
  PROTOCOL_VERSION,
  parse,
  ResumeSchema,
  SetStatusSchema,
  SurvivorLeaveSchema,
  TakeSchema,
  TransferKeySchema,
  TransferSchema,
} from "../../../../shared/protocol/index.ts";

const sessionId = "AAAAAAAAAAAAAAAAAAAAAA";
const frame = (over: Record<string, unknown> = {}) => ({
  sessionId,
  epoch: 0,
  seq: 0,
  ciphertext: new Uint8Array(10),
  ...over,
});
const join = (over: Record<string, unknown> = {}) => ({
  version: PROTOCOL_VERSION,
  pow: { challenge: "v1.x", nonce: new Uint8Array(8) },
  survivorKey: new Uint8Array(32),
  language: "en",
  partner: "demo",
  ...over,
});

describe("relay envelopes", () => {
  it("accept valid frames and turn every binary shape into a plain Uint8Array", () => {
    const buffer = Buffer.from([1, 2, 3, 4, 5]).subarray(1, 4);
    for (const ciphertext of [new Uint8Array([2, 3, 4]), buffer, new Uint8Array([2, 3, 4]).buffer]) {
      const r = parse(FrameSchema, frame({ ciphertext }));
      if (!r.ok) throw new Error(r.error);
      expect(r.value.ciphertext).toBeInstanceOf(Uint8Array);
      expect(new Uint8Array(r.value.ciphertext)).toEqual(new Uint8Array([2, 3, 4]));
    }
  });

  it("reject frames with bad ids, sizes, numbers or extra fields", () => {
    const bad = [
      frame({ sessionId: "short" }),
      frame({ sessionId: "AAAAAAAAAAAAAAAAAAAAA/" }),
      frame({ epoch: -1 }),
      frame({ epoch: MAX_EPOCH + 1 }),
      frame({ seq: 1.5 }),
      frame({ seq: MAX_SEQUENCE + 1 }),
      frame({ ciphertext: new Uint8Array(0) }),
      frame({ ciphertext: new Uint8Array(MAX_FRAME_BYTES + 1) }),
      frame({ ciphertext: "aGVsbG8=" }),
      frame({ ciphertext: [1, 2, 3] }),
      frame({ extra: true }),
      { ...frame(), sessionId: undefined },
      null,
      "frame",
    ];
    for (const b of bad) expect(parse(FrameSchema, b)).toEqual({ ok: false, error: "bad-request" });
    expect(parse(FrameSchema, frame({ ciphertext: new Uint8Array(MAX_FRAME_BYTES) })).ok).toBe(true);
  });

  it("check the protocol version and the key size on join and resume", () => {
    expect(parse(JoinSchema, join()).ok).toBe(true);
    expect(parse(JoinSchema, join({ version: PROTOCOL_VERSION + 1 })).ok).toBe(false);
    expect(parse(JoinSchema, join({ survivorKey: new Uint8Array(31) })).ok).toBe(false);
    expect(parse(JoinSchema, join({ language: "fr" })).ok).toBe(false);
    expect(parse(JoinSchema, join({ partner: "Demo Site" })).ok).toBe(false);
    expect(parse(JoinSchema, join({ pow: { challenge: "x", nonce: new Uint8Array(7) } })).ok).toBe(false);
    const resume = { version: PROTOCOL_VERSION, sessionId, resumeToken: "A".repeat(43) };
    expect(parse(ResumeSchema, resume).ok).toBe(true);
    expect(parse(ResumeSchema, { ...resume, resumeToken: "A".repeat(42) }).ok).toBe(false);
  });

  it("validate the staff and control envelopes", () => {
    expect(parse(AckSchema, { sessionId, epoch: 1, seq: 9 }).ok).toBe(true);
    expect(
      parse(AcceptSchema, { sessionId, epoch: 0, handshake: new Uint8Array(MAX_HANDSHAKE_BYTES + 1) }).ok,
    ).toBe(false);
    expect(parse(TakeSchema, {}).ok).toBe(true);
    expect(parse(TakeSchema, { sessionId: "x" }).ok).toBe(false);
    expect(parse(TransferSchema, { sessionId, to: "bob" }).ok).toBe(true);
    expect(parse(TransferSchema, { sessionId, to: "b o b" }).ok).toBe(false);
    expect(parse(TransferKeySchema, { sessionId, survivorKey: new Uint8Array(32) }).ok).toBe(true);
    expect(parse(SetStatusSchema, { status: "break" }).ok).toBe(true);
    expect(parse(SetStatusSchema, { status: "offline" }).ok).toBe(false);
    expect(parse(SurvivorLeaveSchema, { sessionId, reason: "quick-exit" }).ok).toBe(true);
    expect(parse(SurvivorLeaveSchema, { sessionId, reason: "bored" }).ok).toBe(false);
  });
});

describe("parse", () => {
  const schemas = [
    FrameSchema,
    AckSchema,
    JoinSchema,
    ResumeSchema,
    AcceptSchema,
    TransferSchema,
    TakeSchema,
  ];

  it("never throws on arbitrary input", () => {
    fc.assert(
      fc.property(
        fc.anything({ withTypedArray: true, withMap: true, withSet: true, withBigInt: true }),
        (x) => {
          for (const schema of schemas) {
            const r = parse(schema, x);
            expect(r.ok === true || r.error === "bad-request").toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("turns throwing getters and proxies into bad-request", () => {
    const hostile = {
      get sessionId(): string {
        throw new Error("boom");
      },
      epoch: 0,
      seq: 0,
      ciphertext: new Uint8Array(1),
    };
    expect(parse(FrameSchema, hostile)).toEqual({ ok: false, error: "bad-request" });
    const proxy = new Proxy(
      {},
      {
        get() {
          throw new Error("trap");
        },
        ownKeys() {
          throw new Error("trap");
        },
      },
    );
    for (const schema of schemas) expect(parse(schema, proxy)).toEqual({ ok: false, error: "bad-request" });
  });
});
