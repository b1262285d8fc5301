import { useState } from "preact/hooks";
import type { SessionId } from "../../../shared/protocol/index.ts";
import { useWorkspace } from "../components/services.tsx";
import { useStore } from "../components/use-store.ts";
import { useT } from "../i18n/i18n-context.tsx";
import type { ErrorCode } from "../state/errors.ts";
import { sideForChat } from "../state/side-conversations.ts";

/**
 * "Ask a supervisor" in a chat's actions: asks once per chat, then says it is waiting and lets
 * the counselor cancel. Sends the relay nothing but the chat's id; the conversation itself opens
 * in the side dock once a supervisor answers.
 */
export function SideAskButton(props: Readonly<{ sessionId: SessionId; disabled: boolean }>) {
  const t = useT();
  const ws = useWorkspace();
  const side = useStore(ws.side);
  const current = sideForChat(side, props.sessionId);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorCode | null>(null);

  const ask = async () => {
    setBusy(true);
    const result = await ws.sideController.ask(props.sessionId);
    setBusy(false);
    setError(result.ok ? null : result.error);
  };

  if (current?.phase === "asking") {
    return (
      <span class="side-asking">
        <span role="status">{t("side.asking")}</span>{" "}
        <button type="button" onClick={() => void ws.sideController.end(current.requestId)}>
          {t("side.cancel")}
        </button>
      </span>
    );
  }
  return (
    <>
      <button type="button" onClick={ask} disabled={props.disabled || busy || current !== null}>
        {t("side.ask")}
      </button>
      {error ? (
        <span class="error" role="alert">
          {t(`error.${error}`)}
        </span>
      ) : null}
    </>
  );
}
