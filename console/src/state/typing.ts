/**
 * When to tell the survivor the counselor is typing: at most one "typing" event per interval
 * while keys are pressed, and one "stopped" after a pause. Pure: the adapter calls `onInput`
 * and `onTick` with the current time and sends what they return.
 */
export const TYPING_REPEAT_MS = 4_000;
export const TYPING_PAUSE_MS = 3_000;

export type TypingState = Readonly<{ active: boolean; lastSentAt: number; lastInputAt: number }>;

export const idleTyping: TypingState = { active: false, lastSentAt: 0, lastInputAt: 0 };

export type TypingStep = Readonly<{ state: TypingState; send: boolean | null }>;

export function onInput(state: TypingState, now: number, empty: boolean): TypingStep {
  if (empty) return onStop(state);
  const due = !state.active || now - state.lastSentAt >= TYPING_REPEAT_MS;
  return {
    state: { active: true, lastInputAt: now, lastSentAt: due ? now : state.lastSentAt },
    send: due ? true : null,
  };
}

export function onTick(state: TypingState, now: number): TypingStep {
  return state.active && now - state.lastInputAt >= TYPING_PAUSE_MS ? onStop(state) : { state, send: null };
}

/** After sending a message or clearing the box. */
export function onStop(state: TypingState): TypingStep {
  return state.active ? { state: { ...state, active: false }, send: false } : { state, send: null };
}
