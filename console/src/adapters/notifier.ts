import type { MessageKey } from "../i18n/en.ts";
import { type NotifyEvent, notifyDecision } from "../state/notify-policy.ts";

/**
 * Sound and desktop notifications. The beep is synthesized (no audio file to fetch); the desktop
 * notification says only that something happened, never what was written.
 */
let audio: AudioContext | null = null;

export function beep(): void {
  try {
    audio ??= new AudioContext();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = 660;
    gain.gain.setValueAtTime(0.15, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.25);
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + 0.25);
  } catch {
    // No audio device or autoplay refused: the title badge still shows it.
  }
}

export function notificationsAvailable(): boolean {
  return typeof Notification !== "undefined";
}

export function createNotifier(title: (key: MessageKey) => string) {
  return (event: NotifyEvent) => {
    const visible = document.visibilityState === "visible";
    const decision = notifyDecision(event, visible);
    if (decision.beep) beep();
    if (decision.desktop && notificationsAvailable() && Notification.permission === "granted") {
      try {
        // A fixed tag replaces the previous notification instead of piling them up.
        new Notification(title(decision.desktop), { tag: "sahara", silent: true });
      } catch {
        // Some browsers allow notifications only from a service worker; the beep and badge remain.
      }
    }
  };
}
