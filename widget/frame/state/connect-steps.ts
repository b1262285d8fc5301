import type { ConnectStep, StepState, WaitingPhase } from "./types.ts";

/** The steps from Start to a secure channel, in the order they complete. */
export const CONNECT_STEPS: readonly ConnectStep[] = ["secure", "human", "counselor", "channel"];

/**
 * The step each phase is working on. `connecting` covers what must happen before the relay's
 * proof-of-work challenge can be taken up: the crypto worker loaded and the relay connection
 * open. Joining the queue is the first moment of waiting for a counselor (it is one round trip).
 */
const CURRENT: Readonly<Record<WaitingPhase, number>> = {
  connecting: 0,
  solving: 1,
  joining: 2,
  queued: 2,
  verifying: 3,
};

/** Every step with its state: those before the current one are done. */
export function connectProgress(
  phase: WaitingPhase,
): readonly Readonly<{ step: ConnectStep; state: StepState }>[] {
  const current = CURRENT[phase];
  return CONNECT_STEPS.map((step, index) => ({
    step,
    state: index < current ? "done" : index === current ? "current" : "todo",
  }));
}
