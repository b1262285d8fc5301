import { useEffect, useRef, useState } from "preact/hooks";
import { encodeImage } from "../../../shared/protocol/image-encode.ts";
import type { SessionId } from "../../../shared/protocol/index.ts";
import type { SendImageError } from "../adapters/image-outbox.ts";
import { Dialog } from "../components/dialog.tsx";
import { useWorkspace } from "../components/services.tsx";
import { useT } from "../i18n/i18n-context.tsx";

type Prepared = Readonly<{ blob: Blob; width: number; height: number; url: string }>;
type Problem = SendImageError | "unsupported";

/**
 * "Send an image" (for example a guide to a platform's report form): the file is re-encoded in
 * the browser exactly as the survivor's frame does it (shared/protocol/image-encode.ts: pixels
 * only, no EXIF or location), previewed in a dialog, and sent only on Send. The preview's object
 * URL is revoked when the dialog goes; the sent copy is held like any image in the chat.
 */
export function ImageSend({ sessionId, disabled }: Readonly<{ sessionId: SessionId; disabled: boolean }>) {
  const t = useT();
  const ws = useWorkspace();
  const input = useRef<HTMLInputElement>(null);
  const [prepared, setPrepared] = useState<Prepared | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  // Each pick gets a fresh input: the one that held a file leaves the page on its own, so
  // whatever may still refer to it (a DevTools handle, an extension) keeps no part of the chat.
  const [inputKey, setInputKey] = useState(0);
  useEffect(() => () => (prepared ? URL.revokeObjectURL(prepared.url) : undefined), [prepared]);

  const picked = async (field: HTMLInputElement) => {
    const file = field.files?.[0];
    // The picked file itself is not kept: only the re-encoded pixels go on.
    field.value = "";
    setInputKey((key) => key + 1);
    if (!file) return;
    setProblem(null);
    setBusy(true);
    const encoded = await encodeImage(file, globalThis);
    setBusy(false);
    if (!encoded.ok) return setProblem(encoded.error);
    const { blob, width, height } = encoded.value;
    setPrepared({ blob, width, height, url: URL.createObjectURL(blob) });
  };
  const close = () => {
    setPrepared(null);
    return false;
  };
  const send = async () => {
    if (!prepared) return;
    const { blob, width, height } = prepared;
    setPrepared(null);
    setProblem(await ws.controller.sendImage(sessionId, { blob, width, height }));
  };

  return (
    <div class="image-send">
      <label class={disabled || busy ? "button disabled" : "button"}>
        <input
          key={inputKey}
          ref={input}
          type="file"
          accept="image/*"
          class="visually-hidden"
          disabled={disabled || busy}
          onChange={(e) => void picked(e.currentTarget)}
        />
        {busy ? t("chat.imagePreparing") : t("chat.imageAdd")}
      </label>
      {problem !== null ? (
        <p class="error" role="alert">
          {t(`chat.imageError.${problem}`)}
        </p>
      ) : null}
      {prepared ? (
        <Dialog
          title={t("chat.imageSendTitle")}
          wide
          onClose={close}
          returnFocus={() => {
            input.current?.focus();
            return true;
          }}
        >
          <img
            class="image-large"
            src={prepared.url}
            alt={t("chat.imageSendTitle")}
            width={prepared.width}
            height={prepared.height}
          />
          <p>{t("chat.imageCleaned")}</p>
          <button type="button" class="primary" onClick={() => void send()}>
            {t("chat.imageSendConfirm")}
          </button>{" "}
          <button type="button" onClick={close}>
            {t("common.cancel")}
          </button>
        </Dialog>
      ) : null}
    </div>
  );
}
