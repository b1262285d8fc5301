import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { Dialog } from "../components/dialog.tsx";
import { useServices } from "../components/services.tsx";
import { useT } from "../i18n/i18n-context.tsx";
import type { ChatMessage } from "../state/chats.ts";

/**
 * An image in the conversation: a thumbnail that opens larger in a dialog. "Save as evidence"
 * (on the survivor's images) downloads it only after a warning that the copy leaves Sahara's
 * protection, and only once the server has recorded that a save happened (who and when; the
 * request carries nothing about the image or the chat). The console keeps images in memory
 * only, and forgets them when the chat ends or the console locks.
 */
export function ImageMessage({
  image,
  mine,
}: Readonly<{ image: NonNullable<ChatMessage["image"]>; mine: boolean }>) {
  const t = useT();
  const { api } = useServices();
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveFailed, setSaveFailed] = useState(false);
  // The button pressed goes from the page (the warning replaces it, and back): focus follows,
  // to Cancel in the warning (the safe answer) and back to Save as evidence, so it stays in the
  // dialog and Escape still closes it.
  const saveButton = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const shown = useRef(false);
  // A layout effect: the control that had focus is gone by the time the browser paints.
  useLayoutEffect(() => {
    if (!open) {
      shown.current = false;
      return;
    }
    if (shown.current) (confirming ? cancelButton : saveButton).current?.focus();
    shown.current = true;
  }, [open, confirming]);
  const url = image.url;
  if (url === null)
    return (
      <p class="error" role="status">
        {t(mine ? "chat.imageSendFailed" : "chat.imageFailed")}
      </p>
    );
  const alt = t(mine ? "chat.imageSentAlt" : "chat.imageAlt");
  const save = async () => {
    setSaving(true);
    const recorded = await api.evidenceSaved();
    setSaving(false);
    // No record, no copy: every save that leaves Sahara's protection is in the audit log.
    if (!recorded.ok) return setSaveFailed(true);
    setSaveFailed(false);
    const link = document.createElement("a");
    link.href = url;
    link.download = "evidence.jpg";
    link.rel = "noopener";
    link.click();
    // The download has its own reference now; the detached link, until it is collected, should
    // not keep naming the image.
    link.removeAttribute("href");
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
        <img src={url} alt={alt} width={image.width} height={image.height} />
      </button>
      {open ? (
        <Dialog
          title={t("chat.imageTitle")}
          wide
          onClose={() => {
            setOpen(false);
            setConfirming(false);
            setSaveFailed(false);
          }}
        >
          <img class="image-large" src={url} alt={alt} width={image.width} height={image.height} />
          {mine ? null : confirming ? (
            <div class="image-save-warning" role="alert">
              <p>{t("chat.imageSaveWarning")}</p>
              {saveFailed ? <p class="error">{t("chat.imageSaveFailed")}</p> : null}
              {/* aria-disabled, not disabled: a disabled button loses focus to the page's body. */}
              <button
                type="button"
                class="danger"
                aria-disabled={saving}
                onClick={() => {
                  if (!saving) void save();
                }}
              >
                {t("chat.imageSaveConfirm")}
              </button>
              <button type="button" ref={cancelButton} onClick={() => setConfirming(false)}>
                {t("common.cancel")}
              </button>
            </div>
          ) : (
            <button type="button" ref={saveButton} onClick={() => setConfirming(true)}>
              {t("chat.imageSave")}
            </button>
          )}
        </Dialog>
      ) : null}
    </>
  );
}
