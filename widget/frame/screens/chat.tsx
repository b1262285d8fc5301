import type { Actions } from "../actions.ts";
import { Composer } from "../components/composer.tsx";
import { EndChat } from "../components/end-chat.tsx";
import { Heading } from "../components/heading.tsx";
import { useEffect, useState } from "preact/hooks";
import type { Language } from "../../../shared/protocol/envelopes.ts";
import { Transcript } from "../components/transcript.tsx";
import type { Catalogue } from "../i18n/catalogue.ts";
import type { Session } from "../state/types.ts";

type PickerComponent = typeof import("../components/image-picker.tsx").ImagePicker;
type ViewComponent = typeof import("../components/image-view.tsx").ImageView;

export function ChatScreen({
  t,
  language,
  session,
  actions,
}: Readonly<{ t: Catalogue; language: Language; session: Session; actions: Actions }>) {
  const counselor = session.counselor;
  // Loaded once a chat is open, not with the first screen (the frame's size budget).
  const [Picker, setPicker] = useState<PickerComponent | null>(null);
  const [View, setView] = useState<ViewComponent | null>(null);
  useEffect(() => {
    let live = true;
    void import("../components/image-picker.tsx").then((module) => {
      if (live) setPicker(() => module.ImagePicker);
    });
    void import("../components/image-view.tsx").then((module) => {
      if (live) setView(() => module.ImageView);
    });
    return () => {
      live = false;
    };
  }, []);
  return (
    <section class="screen chat" aria-labelledby="sahara-heading">
      <Heading>{counselor ? t.chatWith(counselor.name) : t.counselorPending}</Heading>
      {counselor && (
        <details class="safety">
          <summary>
            {t.safetyCode}: <strong dir="ltr">{counselor.safetyCode}</strong>
          </summary>
          <p>{t.safetyCodeHelp}</p>
        </details>
      )}
      {session.connection === "reconnecting" && (
        <p class="warning" role="status">
          {t.reconnecting}
        </p>
      )}
      {session.connection === "online" && !session.peerConnected && (
        <p class="peer-away" role="status">
          {t.counselorAway}
        </p>
      )}
      <Transcript
        t={t}
        entries={session.transcript}
        image={View ? (image) => <View language={language} image={image} /> : null}
      />
      {/* Outside the transcript's scroll: always on screen, however long the conversation. */}
      <div class="chat-controls">
        <p class="typing" aria-live="polite">
          {counselor && session.peerTyping ? t.typing(counselor.name) : ""}
        </p>
        {Picker && <Picker language={language} disabled={counselor === null} actions={actions} />}
        <Composer t={t} disabled={counselor === null} actions={actions} />
        <EndChat t={t} onEnd={actions.endChat} />
      </div>
    </section>
  );
}
