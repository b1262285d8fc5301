import { useRef, useState } from "preact/hooks";
import type { Language } from "../../../shared/protocol/envelopes.ts";
import { IMAGE_STRINGS } from "../i18n/image-strings.ts";
import type { ReceivedImage } from "../state/types.ts";

/**
 * An image from the counselor (for example how to fill in a platform's report form): a
 * thumbnail button that opens it at full width in the conversation, and Close to go back.
 * A disclosure rather than a modal, so Escape keeps its one meaning in the frame (hide the
 * panel). Loaded with the picker once a chat is open, not with the first screen.
 */
export function ImageView({ language, image }: Readonly<{ language: Language; image: ReceivedImage }>) {
  const t = IMAGE_STRINGS[language];
  const [open, setOpen] = useState(false);
  const thumb = useRef<HTMLButtonElement>(null);
  const close = useRef<HTMLButtonElement>(null);
  if (image.url === null)
    return (
      <p class="warning" role="status">
        {t.imageIncomingFailed}
      </p>
    );
  const toggle = (next: boolean) => {
    setOpen(next);
    // After the render: focus follows the view that is now shown.
    setTimeout(() => (next ? close.current : thumb.current)?.focus(), 0);
  };
  return (
    <div class="received-image">
      <button
        ref={thumb}
        type="button"
        class="image-thumb"
        aria-expanded={open}
        aria-label={t.imageOpen}
        onClick={() => toggle(!open)}
      >
        <img
          class="sent-image"
          src={image.url}
          alt={t.imageFromCounselor}
          width={image.width}
          height={image.height}
        />
      </button>
      {open && (
        <figure class="image-large" aria-label={t.imageFromCounselor}>
          <img src={image.url} alt={t.imageFromCounselor} width={image.width} height={image.height} />
          <button ref={close} type="button" onClick={() => toggle(false)}>
            {t.imageClose}
          </button>
        </figure>
      )}
    </div>
  );
}
