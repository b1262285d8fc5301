import { useEffect, useState } from "preact/hooks";
import { MAX_HANDOVER_NOTE_CHARS } from "../../../shared/protocol/index.ts";
import { Dialog } from "../components/dialog.tsx";
import { TextField } from "../components/field.tsx";
import { useWorkspace } from "../components/services.tsx";
import { useStore } from "../components/use-store.ts";
import { useT } from "../i18n/i18n-context.tsx";
import { transferCandidates } from "../state/desk.ts";
import type { ErrorCode } from "../state/errors.ts";
import { ErrorAlert } from "../components/error-alert.tsx";
import { FormActions } from "../components/form-actions.tsx";

/**
 * Hand a chat to an available colleague, with a note and the conversation so far sealed to their
 * identity key (the relay forwards it and cannot read it). Every colleague is listed with status
 * and load; only those available with room can be chosen. A refusal keeps the dialog open with
 * the reason, and the chat stays with the sender.
 */
export function TransferDialog(props: Readonly<{ sessionId: string; onClose: () => void }>) {
  const t = useT();
  const ws = useWorkspace();
  const desk = useStore(ws.desk);
  const { directory } = useStore(ws.reference);
  // Colleagues certified since this console unlocked must be offered too.
  useEffect(() => void ws.refresh("directory"), [ws]);
  const candidates = transferCandidates(desk.load, directory, ws.profile.staff.id);
  const [to, setTo] = useState<string>("");
  const [note, setNote] = useState("");
  const [error, setError] = useState<ErrorCode | null>(null);
  const [busy, setBusy] = useState(false);
  const target = candidates.find((c) => c.id === to && c.unavailable === null);
  return (
    <Dialog title={t("transfer.title")} onClose={props.onClose}>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          if (!target) return;
          setBusy(true);
          const result = await ws.controller.transfer(props.sessionId as never, target.entry, note);
          setBusy(false);
          if (result.ok) props.onClose();
          else setError(result.error);
        }}
      >
        <p class="hint">{t("transfer.hint")}</p>
        {candidates.length === 0 ? (
          <p class="empty">{t("transfer.none")}</p>
        ) : (
          <fieldset>
            <legend>{t("transfer.to")}</legend>
            {candidates.map((c) => (
              <label key={c.id} class={c.unavailable ? "radio unavailable" : "radio"}>
                <input
                  type="radio"
                  name="transfer-to"
                  value={c.id}
                  checked={to === c.id}
                  disabled={c.unavailable !== null}
                  onChange={() => setTo(c.id)}
                />
                {c.displayName}{" "}
                <span class="tab-meta">
                  {c.unavailable ? t(`transfer.why.${c.unavailable}`) : t("transfer.available")}
                  {c.load ? ` · ${t("transfer.load", { chats: c.load.chats, limit: c.load.limit })}` : ""}
                </span>
              </label>
            ))}
          </fieldset>
        )}
        <TextField
          label={t("transfer.note")}
          hint={t("transfer.noteHint", { max: MAX_HANDOVER_NOTE_CHARS })}
          value={note}
          onInput={(v) => setNote(v.slice(0, MAX_HANDOVER_NOTE_CHARS))}
          multiline
        />
        <ErrorAlert error={error} />
        <FormActions submit={t("transfer.submit")} disabled={!target || busy} onCancel={props.onClose} />
      </form>
    </Dialog>
  );
}
