import { useState } from "preact/hooks";
import { STAFF_STATUSES } from "../state/wellbeing.ts";
import { useServices, useWorkspace } from "../components/services.tsx";
import { useNow, useStore } from "../components/use-store.ts";
import { useT } from "../i18n/i18n-context.tsx";
import { BREAK_MINUTES, breakRemaining, DEFAULT_BREAK_MINUTES, formatCountdown } from "../state/wellbeing.ts";
import { Dialog } from "../components/dialog.tsx";
import type { StaffStatus } from "../../../shared/protocol/index.ts";

/** The counselor's status as the relay confirmed it; no chats are assigned while away or on break. */
export function StatusControl() {
  const t = useT();
  const { now } = useServices();
  const ws = useWorkspace();
  const wellbeing = useStore(ws.wellbeing);
  const desk = useStore(ws.desk);
  const time = useNow(now);
  const remaining = breakRemaining(wellbeing, time);
  const [minutes, setMinutes] = useState<number>(DEFAULT_BREAK_MINUTES);

  const setStatus = (status: StaffStatus) => void ws.controller.setStatus(status);
  const startBreak = async (m: number) => {
    const result = await ws.controller.setStatus("break");
    if (result.ok) ws.wellbeing.dispatch({ type: "break-started", now: now(), minutes: m });
  };

  return (
    <div class="status-control">
      <label for="status-select">{t("status.label")}</label>
      <select
        id="status-select"
        value={wellbeing.status}
        onChange={(e) => {
          const s = e.currentTarget.value as StaffStatus;
          if (s === "break") void startBreak(DEFAULT_BREAK_MINUTES);
          else setStatus(s);
        }}
      >
        {STAFF_STATUSES.map((s) => (
          <option key={s} value={s}>
            {t(`status.${s}`)}
          </option>
        ))}
      </select>
      {wellbeing.wanted !== wellbeing.status && !desk.loginLost ? (
        <span class="status-pending" role="status">
          {t("status.pending", { status: t(`status.${wellbeing.wanted}`) })}
        </span>
      ) : null}
      {remaining !== null ? (
        <span class="break-timer" role="timer" aria-live="off">
          {remaining > 0 ? t("break.left", { time: formatCountdown(remaining) }) : t("break.over")}
        </span>
      ) : null}
      {wellbeing.offerBreak ? (
        <Dialog
          title={t("break.offerTitle")}
          onClose={() => ws.wellbeing.dispatch({ type: "offer-dismissed" })}
        >
          <p>{t("break.offer")}</p>
          <div class="field">
            <label for="break-minutes">{t("break.minutes")}</label>
            <select
              id="break-minutes"
              value={minutes}
              onChange={(e) => setMinutes(Number(e.currentTarget.value))}
            >
              {BREAK_MINUTES.map((m) => (
                <option key={m} value={m}>
                  {t("break.minutesOption", { m })}
                </option>
              ))}
            </select>
          </div>
          <div class="actions">
            <button type="button" onClick={() => ws.wellbeing.dispatch({ type: "offer-dismissed" })}>
              {t("break.notNow")}
            </button>
            <button type="button" class="primary" onClick={() => void startBreak(minutes)}>
              {t("break.start")}
            </button>
          </div>
        </Dialog>
      ) : null}
    </div>
  );
}
