import { useRef, useState } from "preact/hooks";
import type { Actions, ImageError, PreparedImage } from "../actions.ts";
import type { Language } from "../../../shared/protocol/envelopes.ts";
import { IMAGE_STRINGS } from "../i18n/image-strings.ts";

/**
 * "Add a screenshot": a file picker (the photo library on phones), then a preview of exactly
 * what will be sent (re-encoded, metadata gone) with Send and Cancel. The picked file itself is
 * never kept: the input is cleared as soon as it has been read.
 */
export function ImagePicker({
  language,
  disabled,
  actions,
}: Readonly<{ language: Language; disabled: boolean; actions: Actions }>) {
  const t = IMAGE_STRINGS[language];
  const input = useRef<HTMLInputElement>(null);
  const [prepared, setPrepared] = useState<PreparedImage | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ImageError | null>(null);

  const picked = async (event: Event) => {
    const field = event.currentTarget as HTMLInputElement;
    const file = field.files?.[0];
    field.value = "";
    if (!file) return;
    setError(null);
    setBusy(true);
    const result = await actions.prepareImage(file);
    setBusy(false);
    if (typeof result === "string") setError(result);
    else setPrepared(result);
  };
  const send = async () => {
    if (prepared === null) return;
    const failure = await actions.sendImage(prepared);
    if (failure !== null) {
      actions.discardImage(prepared);
      setError(failure);
    }
    setPrepared(null);
    input.current?.focus();
  };
  const cancel = () => {
    if (prepared !== null) actions.discardImage(prepared);
    setPrepared(null);
    input.current?.focus();
  };

  return (
    <div class="image-picker">
      {prepared === null ? (
        <label class={disabled || busy ? "add-image disabled" : "add-image"}>
          <input
            ref={input}
            type="file"
            accept="image/*"
            class="visually-hidden"
            disabled={disabled || busy}
            onChange={(event) => void picked(event)}
          />
          {busy ? t.imagePreparing : t.addImage}
        </label>
      ) : (
        <figure class="image-preview" aria-label={t.imagePreview}>
          <img src={prepared.url} alt={t.imagePreview} width={prepared.width} height={prepared.height} />
          <figcaption>{t.imageCleaned}</figcaption>
          <div class="image-preview-actions">
            <button type="button" class="primary" onClick={() => void send()} disabled={disabled}>
              {t.imageSend}
            </button>
            <button type="button" onClick={cancel}>
              {t.imageCancel}
            </button>
          </div>
        </figure>
      )}
      {error !== null && (
        <p class="warning" role="alert">
          {t.imageError[error]}
        </p>
      )}
    </div>
  );
}
