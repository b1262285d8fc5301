import { useLayoutEffect, useRef } from "preact/hooks";
import type { Catalogue } from "../i18n/catalogue.ts";
import type { ComponentChild } from "preact";
import type { Entry, ReceivedImage } from "../state/types.ts";

/** Draws an image from the counselor; null until that code has loaded (it loads with the chat). */
type ImageSlot = ((image: ReceivedImage) => ComponentChild) | null;

/**
 * The conversation as a polite live region (`role="log"`): screen readers announce each new
 * message without interrupting. The log wraps the list (a role on the <ol> itself would take
 * away its list semantics). Removed from the DOM with the chat screen on every wipe.
 */
export function Transcript({
  t,
  entries,
  image = null,
}: Readonly<{ t: Catalogue; entries: readonly Entry[]; image?: ImageSlot }>) {
  const log = useRef<HTMLDivElement>(null);
  // Only the transcript scrolls (the composer and End chat stay put): follow the newest entry.
  useLayoutEffect(() => {
    const el = log.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [entries.length]);
  return (
    <div
      ref={log}
      class="log"
      role="log"
      aria-live="polite"
      aria-relevant="additions"
      aria-label={t.transcript}
    >
      <ol class="transcript">
        {entries.map((entry) => (
          <EntryItem key={entry.id} t={t} entry={entry} image={image} />
        ))}
      </ol>
    </div>
  );
}

function EntryItem({ t, entry, image }: Readonly<{ t: Catalogue; entry: Entry; image: ImageSlot }>) {
  switch (entry.type) {
    case "mine":
      return (
        <li class="msg mine">
          <span class="visually-hidden">{t.you}: </span>
          {entry.image ? (
            <img
              class="sent-image"
              src={entry.image.url}
              alt={t.imageAlt}
              width={entry.image.width}
              height={entry.image.height}
            />
          ) : (
            <p dir="auto">{entry.body}</p>
          )}
          <span class="meta">{t.messageState[entry.state]}</span>
        </li>
      );
    case "theirs":
      return (
        <li class="msg theirs">
          <span class="who">{entry.name}</span>
          {entry.image ? image?.(entry.image) : <p dir="auto">{entry.body}</p>}
        </li>
      );
    case "notice":
      return <li class="notice">{noticeText(t, entry.notice)}</li>;
    default: {
      const never: never = entry;
      return never;
    }
  }
}

function noticeText(t: Catalogue, notice: Extract<Entry, { type: "notice" }>["notice"]): string {
  switch (notice.type) {
    case "joined":
      return t.joined(notice.name);
    case "transferring":
      return t.transferring;
    case "reconnected":
      return t.reconnected;
    default: {
      const never: never = notice;
      return never;
    }
  }
}
