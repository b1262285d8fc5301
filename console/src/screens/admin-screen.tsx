import { useT } from "../i18n/i18n-context.tsx";
import { ADMIN_SECTIONS, type AdminSection, routeHash } from "../state/route.ts";
import { CannedAdmin } from "./admin/canned-admin.tsx";
import { HoursAdmin } from "./admin/hours-admin.tsx";
import { PartnersAdmin } from "./admin/partners-admin.tsx";
import { ReferralsAdmin } from "./admin/referrals-admin.tsx";
import { SettingsAdmin } from "./admin/settings-admin.tsx";
import { StaffAdmin } from "./admin/staff-admin.tsx";

function Section(props: Readonly<{ section: AdminSection }>) {
  switch (props.section) {
    case "staff":
      return <StaffAdmin />;
    case "partners":
      return <PartnersAdmin />;
    case "hours":
      return <HoursAdmin />;
    case "canned":
      return <CannedAdmin />;
    case "referrals":
      return <ReferralsAdmin />;
    case "settings":
      return <SettingsAdmin />;
    default: {
      const never: never = props.section;
      return never;
    }
  }
}

export function AdminScreen(props: Readonly<{ section: AdminSection }>) {
  const t = useT();
  return (
    <main class="page admin" aria-labelledby="admin-title">
      <h1 id="admin-title" class="visually-hidden">
        {t("nav.admin")}
      </h1>
      <nav aria-label={t("nav.admin")} class="subnav">
        {ADMIN_SECTIONS.map((s) => (
          <a
            key={s}
            href={routeHash({ type: "admin", section: s })}
            aria-current={s === props.section ? "page" : undefined}
          >
            {t(`admin.${s}`)}
          </a>
        ))}
      </nav>
      <Section section={props.section} />
    </main>
  );
}
