import { describe, expectTypeOf, it } from "vitest";
import type {
  Ack,
  Assigned,
  Frame,
  Join,
  Queued,
  Reply,
  SessionId,
  StaffClientToServer,
  SurvivorClientToServer,
  SurvivorServerToClient,
} from "../../shared/protocol/index.ts";

describe("event map types", () => {
  it("types each survivor request with its payload and reply", () => {
    expectTypeOf<Parameters<SurvivorClientToServer["join"]>[0]>().toEqualTypeOf<Join>();
    expectTypeOf<Parameters<Parameters<SurvivorClientToServer["join"]>[1]>[0]>().toEqualTypeOf<
      Reply<Queued>
    >();
    expectTypeOf<Parameters<SurvivorClientToServer["frame"]>[0]>().toEqualTypeOf<Frame>();
    expectTypeOf<Parameters<SurvivorClientToServer["ack"]>[0]>().toEqualTypeOf<Ack>();
  });

  it("rejects wrong payloads", () => {
    expectTypeOf<{ sessionId: string; epoch: number; seq: number }>().not.toMatchTypeOf<Ack>();
    expectTypeOf<{
      sessionId: SessionId;
      epoch: number;
      seq: number;
      ciphertext: string;
    }>().not.toMatchTypeOf<Frame>();
    expectTypeOf<Frame["ciphertext"]>().toEqualTypeOf<Uint8Array>();
  });

  it("gives staff an Assigned in the take reply and survivors typed events", () => {
    type TakeReply = Parameters<Parameters<StaffClientToServer["take"]>[1]>[0];
    expectTypeOf<Extract<TakeReply, { ok: true }>["assigned"]>().toEqualTypeOf<Assigned>();
    expectTypeOf<
      Parameters<SurvivorServerToClient["accepted"]>[0]["handshake"]
    >().toEqualTypeOf<Uint8Array>();
    expectTypeOf<keyof SurvivorClientToServer>().toEqualTypeOf<
      "join" | "resume" | "transfer-key" | "frame" | "ack" | "leave" | "waiting"
    >();
  });
});
