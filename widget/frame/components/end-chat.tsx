import { useEffect, useRef, useState } from "preact/hooks";
import type { Catalogue } from "../i18n/catalogue.ts";

/**
 * End chat, asked once: ending erases the conversation for good, so a stray tap must not do
 * it. "Keep chatting" takes End chat's place (a double tap lands on it, not on the erase), and
 * takes the focus, so Enter pressed twice does not erase either.
 */
export function EndChat({ t, onEnd }: Readonly<{ t: Catalogue; onEnd: () => void }>) {
  const [asking, setAsking] = useState(false);
  const keep = useRef<HTMLButtonElement>(null);
  const end = useRef<HTMLButtonElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    (asking ? keep : end).current?.focus();
  }, [asking]);
  if (!asking)
    return (
      <div class="end-row">
        <button type="button" class="end" ref={end} onClick={() => setAsking(true)}>
          {t.endChat}
        </button>
      </div>
    );
  return (
    <fieldset class="end-row confirm">
      <legend>{t.endConfirm}</legend>
      <button type="button" class="keep" ref={keep} onClick={() => setAsking(false)}>
        {t.endKeep}
      </button>
      <button type="button" class="end" onClick={onEnd}>
        {t.endErase}
      </button>
    </fieldset>
  );
}
