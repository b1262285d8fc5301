import type { Language } from "../../../shared/protocol/envelopes.ts";
import type { WidgetConfig } from "../../../shared/protocol/http/widget-config.ts";
import type { Catalogue } from "../i18n/catalogue.ts";
import { ContactText } from "./contact-text.tsx";

type Props = Readonly<{ t: Catalogue; language: Language; config: WidgetConfig | null }>;

/**
 * Where to get help without this chat: the helpline's verified referral entries in the
 * survivor's language (the server never sends unverified ones). Shown first when closed, when
 * no counselor is available, and after a chat.
 */
export function ResourceList({ t, language, config }: Props) {
  const resources = config?.resources.filter((r) => r.language === language) ?? [];
  if (resources.length === 0) return null;
  return (
    <section class="resources" aria-labelledby="sahara-resources">
      <h2 id="sahara-resources">{t.resourcesTitle}</h2>
      <ul>
        {resources.map((resource) => (
          <li key={resource.name}>
            <strong>{resource.name}</strong>
            <br />
            <ContactText text={resource.contact} />
          </li>
        ))}
      </ul>
    </section>
  );
}
