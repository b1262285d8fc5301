import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Frame, Page } from "playwright-core";

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules) in a page or frame. axe is injected by
 * evaluating its source over the DevTools protocol, which a page's Content-Security-Policy
 * does not govern, so the frame's and console's strict CSPs stay in force (no bypass) while
 * they are checked.
 */
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export type AxeViolation = Readonly<{ id: string; impact: string | null; help: string; targets: string[] }>;

type AxeResult = {
  violations: { id: string; impact: string | null; help: string; nodes: { target: unknown }[] }[];
};
type AxeWindow = { axe?: { run: (context: Document, options: object) => Promise<AxeResult> } };

export async function axeViolations(target: Page | Frame): Promise<AxeViolation[]> {
  const loaded = await target.evaluate(() => typeof (window as unknown as AxeWindow).axe === "object");
  if (!loaded) await target.evaluate(axeSource);
  return target.evaluate(async () => {
    const axe = (window as unknown as AxeWindow).axe;
    if (!axe) throw new Error("axe did not load");
    const result = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      resultTypes: ["violations"],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => String(n.target)),
    }));
  });
}

/** Only what the issue gates on: serious and critical violations. */
export async function seriousViolations(target: Page | Frame): Promise<AxeViolation[]> {
  return (await axeViolations(target)).filter((v) => v.impact === "serious" || v.impact === "critical");
}
