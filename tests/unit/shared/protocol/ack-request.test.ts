import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { ackRequest } from "../../../../shared/protocol/ack-request.ts";

const Answer = v.variant("ok", [
  v.object({ ok: v.literal(true), position: v.number() }),
  v.object({ ok: v.literal(false), error: v.string() }),
]);

describe("ackRequest", () => {
  it("sends the event and payload once and returns the answer its schema accepts", async () => {
    const sent: unknown[] = [];
    const answer = await ackRequest(
      async (event, payload) => {
        sent.push([event, payload]);
        return { ok: true, position: 3 };
      },
      Answer,
      "join",
      { language: "ur" },
    );
    expect(answer).toEqual({ ok: true, position: 3 });
    expect(sent).toEqual([["join", { language: "ur" }]]);
  });

  it("turns an answer the schema refuses into bad-request, and no answer into internal, without throwing", async () => {
    expect(await ackRequest(async () => ({ ok: true, position: "3" }), Answer, "join", {})).toEqual({
      ok: false,
      error: "bad-request",
    });
    const getterThrows = {
      get ok(): boolean {
        throw new Error("hostile getter");
      },
    };
    expect(await ackRequest(async () => getterThrows, Answer, "join", {})).toEqual({
      ok: false,
      error: "bad-request",
    });
    expect(
      await ackRequest(() => Promise.reject(new Error("operation has timed out")), Answer, "join", {}),
    ).toEqual({ ok: false, error: "internal" });
  });
});
