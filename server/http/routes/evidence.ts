import type { Router } from "express";
import {
  API,
  EvidenceSaveRequestSchema,
  MAX_EVIDENCE_SAVE_BODY_BYTES,
} from "../../../shared/protocol/http/index.ts";
import type { HttpContext } from "../context.ts";
import { noContent } from "../reply.ts";
import { defineRoute } from "../route.ts";

/**
 * "Save as evidence" (PROTOCOL.md "Attachments"): the console reports that a counselor saved an
 * image to their computer before it downloads it. Threat: a log that links a save to a chat
 * would link a survivor to a moment and a counselor; so the line holds the counselor and the
 * time only, and the strict empty body refuses any id or image data a client might add.
 */
export function evidenceRoutes(router: Router, ctx: HttpContext): void {
  defineRoute(
    router,
    ctx,
    {
      method: "post",
      path: API.evidenceSaves,
      access: "counselor",
      body: EvidenceSaveRequestSchema,
      bodyLimit: MAX_EVIDENCE_SAVE_BODY_BYTES,
    },
    async ({ staff }) => {
      await ctx.repos.audit.record({
        at: ctx.now(),
        actor: staff.record.id,
        action: "evidence-save",
        target: null,
      });
      return noContent();
    },
  );
}
