import type { Catalogue } from "../i18n/catalogue.ts";

export function LoadingScreen({ t }: { t: Catalogue }) {
  return (
    <p class="loading" role="status">
      {t.loading}
    </p>
  );
}
