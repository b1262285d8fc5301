import { useState } from "preact/hooks";
import { Dialog } from "../components/dialog.tsx";
import { useT } from "../i18n/i18n-context.tsx";
import type { ChatMessage } from "../state/chats.ts";

/**
 * An image in the conversation: a thumbnail that opens larger in a dialog. "Save as evidence"
 * downloads it only after a warning that the copy leaves Sahara's protection (the console keeps
 * images in memory only, and forgets them when the chat ends or the console locks).
 */
export function ImageMessage({ image }: Readonly<{ image: NonNullable<ChatMessage["image"]> }>) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const url = image.url;
  if (url === null)
    return (
      <p class="error" role="status">
        {t("chat.imageFailed")}
      </p>
    );
  const save = () => {
    const link = document.createElement("a");
    link.href = url;
    link.download = "evidence.jpg";
    link.rel = "noopener";
    link.click();
    setConfirming(false);
  };
  return (
    <>
      <button
        type="button"
        class="image-thumb"
        onClick={() => setOpen(true)}
        aria-label={t("chat.imageOpen")}
      >
        <img src={url} alt={t("chat.imageAlt")} width={image.width} height={image.height} />
      </button>
      {open ? (
        <Dialog
          title={t("chat.imageTitle")}
          wide
          onClose={() => {
            setOpen(false);
            setConfirming(false);
          }}
        >
          <img
            class="image-large"
            src={url}
            alt={t("chat.imageAlt")}
            width={image.width}
            height={image.height}
          />
          {confirming ? (
            <div class="image-save-warning" role="alert">
              <p>{t("chat.imageSaveWarning")}</p>
              <button type="button" class="danger" onClick={save}>
                {t("chat.imageSaveConfirm")}
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                {t("common.cancel")}
              </button>
            </div>
          ) : (
            <button type="button" onClick={() => setConfirming(true)}>
              {t("chat.imageSave")}
            </button>
          )}
        </Dialog>
      ) : null}
    </>
  );
}
