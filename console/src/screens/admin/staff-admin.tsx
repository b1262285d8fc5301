import { useState } from "preact/hooks";
import {
  type InviteResponse,
  ROLES,
  type Role,
  type StaffSummary,
} from "../../../../shared/protocol/http/index.ts";
import { LANGUAGES } from "../../../../shared/protocol/index.ts";
import { ConfirmDialog, Dialog } from "../../components/dialog.tsx";
import { TextField } from "../../components/field.tsx";
import { useServices, useWorkspace } from "../../components/services.tsx";
import { useLoad, usePoll } from "../../components/use-load.ts";
import { useI18n, useT } from "../../i18n/i18n-context.tsx";
import { normalizeUsername } from "../../state/auth.ts";
import { type CertificateExpiry, certificateExpiry } from "../../state/certificate-expiry.ts";
import { localDate } from "../../state/dates.ts";
import type { ErrorCode } from "../../state/errors.ts";
import { effectiveLanguages, toggleLanguage } from "../../state/staff-languages.ts";
import { ErrorAlert } from "../../components/error-alert.tsx";

/** How often the staff list is fetched again while the screen is visible. */
const STAFF_POLL_MS = 4000;

/** Invite, role, disable, certify (signed here with the org key), revoke (signed list). */
export function StaffAdmin() {
  const t = useT();
  const { api, session, now } = useServices();
  const ws = useWorkspace();
  const { state, reload, refresh } = useLoad(() => api.staff());
  // An invitee enrolls in their own browser: their row (and Certify) shows within seconds.
  usePoll(refresh, STAFF_POLL_MS);
  const [invite, setInvite] = useState<InviteResponse | null>(null);
  const [error, setError] = useState<ErrorCode | null>(null);
  const [revoking, setRevoking] = useState<StaffSummary | null>(null);
  const [form, setForm] = useState({ username: "", displayName: "", role: "counselor" as Role });

  const act = async (p: Promise<{ ok: boolean; error?: ErrorCode }>) => {
    const result = await p;
    setError(result.ok ? null : (result.error ?? "internal"));
    await reload();
  };

  if (state.type === "loading") return <p>{t("common.loading")}</p>;
  if (state.type === "error") return <p class="error">{t(`error.${state.error}`)}</p>;
  const staff = state.value.staff;
  const time = now();
  const expiry = (s: StaffSummary) =>
    s.state === "certified" || s.state === "enrolled" ? certificateExpiry(s.certificate, time) : null;
  const needRenewal = staff.filter((s) => !s.disabled && expiry(s)?.type !== "valid" && expiry(s) !== null);

  return (
    <section aria-labelledby="staff-title">
      <h2 id="staff-title">{t("admin.staff")}</h2>
      {!ws.canCertify ? <p class="notice">{t("staff.noOrgKey")}</p> : null}
      {needRenewal.length > 0 ? (
        <p class="notice">{t("staff.expiringNotice", { count: needRenewal.length })}</p>
      ) : null}
      <ErrorAlert error={error} />
      <table>
        <caption class="visually-hidden">{t("admin.staff")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("field.displayName")}</th>
            <th scope="col">{t("field.username")}</th>
            <th scope="col">{t("field.role")}</th>
            <th scope="col">{t("staff.state")}</th>
            <th scope="col">{t("field.chatLimit")}</th>
            <th scope="col">{t("field.languages")}</th>
            <th scope="col">{t("queue.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {staff.map((s) => (
            <tr key={s.id}>
              <th scope="row">{s.displayName}</th>
              <td>{s.username}</td>
              <td>
                <label class="visually-hidden" for={`role-${s.id}`}>
                  {t("field.role")}
                </label>
                <select
                  id={`role-${s.id}`}
                  value={s.role}
                  onChange={(e) => void act(api.updateStaff(s.id, { role: e.currentTarget.value as Role }))}
                >
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {t(`role.${r}`)}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <span>{t(`staffState.${s.state}`)}</span>
                {s.disabled ? <span class="badge">{t("staff.disabled")}</span> : null}
                <CertificateValidity expiry={expiry(s)} />
              </td>
              <td>
                <label class="visually-hidden" for={`limit-${s.id}`}>
                  {t("field.chatLimit")}
                </label>
                <input
                  id={`limit-${s.id}`}
                  type="number"
                  min={1}
                  max={10}
                  value={s.chatLimit ?? ""}
                  placeholder={t("staff.default")}
                  class="narrow"
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    void act(api.updateStaff(s.id, { chatLimit: v === "" ? null : Number(v) }));
                  }}
                />
              </td>
              <td>
                <fieldset class="inline-choices">
                  <legend class="visually-hidden">{t("staff.languagesFor", { name: s.displayName })}</legend>
                  {LANGUAGES.map((l) => (
                    <label key={l} class="checkbox">
                      <input
                        type="checkbox"
                        checked={effectiveLanguages(s.languages).includes(l)}
                        onChange={(e) => {
                          const next = toggleLanguage(s.languages, l);
                          // The last language stays ticked: nobody would route a chat to them.
                          if (next === s.languages) e.currentTarget.checked = true;
                          else
                            void act(api.updateStaff(s.id, { languages: next === null ? null : [...next] }));
                        }}
                      />
                      {t(`language.${l}`)}
                    </label>
                  ))}
                </fieldset>
              </td>
              <td class="row-actions">
                {ws.canCertify && (s.state === "enrolled" || s.state === "certified") && !s.disabled ? (
                  <button type="button" onClick={() => void act(session.certify(s))}>
                    {s.state === "certified" ? t("staff.renew") : t("staff.certify")}
                  </button>
                ) : null}
                {ws.canCertify &&
                s.role === "admin" &&
                s.orgKey === undefined &&
                s.state === "certified" &&
                !s.disabled &&
                s.id !== ws.profile.staff.id ? (
                  <button type="button" onClick={() => void act(session.shareOrgKey(s))}>
                    {t("staff.shareOrgKey")}
                  </button>
                ) : null}
                {ws.canCertify && s.state === "certified" && s.id !== ws.profile.staff.id ? (
                  <button type="button" class="danger" onClick={() => setRevoking(s)}>
                    {t("staff.revoke")}
                  </button>
                ) : null}
                {s.state === "invited" ? (
                  <button
                    type="button"
                    onClick={async () => {
                      const r = await api.renewInvite(s.id);
                      if (r.ok) setInvite(r.value);
                      else setError(r.error);
                    }}
                  >
                    {t("staff.newCode")}
                  </button>
                ) : null}
                {s.id !== ws.profile.staff.id ? (
                  <button
                    type="button"
                    onClick={() => void act(api.updateStaff(s.id, { disabled: !s.disabled }))}
                  >
                    {s.disabled ? t("staff.enable") : t("staff.disable")}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <form
        class="card"
        aria-labelledby="invite-title"
        onSubmit={async (e) => {
          e.preventDefault();
          const r = await api.invite({
            ...form,
            username: normalizeUsername(form.username),
            displayName: form.displayName.trim(),
          });
          if (!r.ok) {
            setError(r.error);
            return;
          }
          setError(null);
          setInvite(r.value);
          setForm({ username: "", displayName: "", role: "counselor" });
          await reload();
        }}
      >
        <h3 id="invite-title">{t("staff.invite")}</h3>
        <div class="grid-3">
          <TextField
            label={t("field.username")}
            value={form.username}
            onInput={(v) => setForm({ ...form, username: v })}
            required
          />
          <TextField
            label={t("field.displayName")}
            value={form.displayName}
            onInput={(v) => setForm({ ...form, displayName: v })}
            required
          />
          <div class="field">
            <label for="invite-role">{t("field.role")}</label>
            <select
              id="invite-role"
              value={form.role}
              onChange={(e) => setForm({ ...form, role: e.currentTarget.value as Role })}
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`role.${r}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <button type="submit" class="primary">
          {t("staff.sendInvite")}
        </button>
      </form>

      {invite ? (
        <Dialog title={t("staff.codeTitle")} onClose={() => setInvite(null)}>
          <p>{t("staff.codeOnce")}</p>
          <p class="invite-code">
            <code>{invite.inviteCode}</code>
          </p>
          <p class="hint">{t("staff.codeWhere", { path: "/console/#/enroll" })}</p>
          <div class="actions">
            <button type="button" class="primary" onClick={() => setInvite(null)}>
              {t("common.done")}
            </button>
          </div>
        </Dialog>
      ) : null}
      {revoking ? (
        <ConfirmDialog
          title={t("staff.revokeTitle")}
          body={t("staff.revokeConfirm", { name: revoking.displayName })}
          confirm={t("staff.revoke")}
          onConfirm={() => void act(session.revoke(revoking, staff))}
          onClose={() => setRevoking(null)}
        />
      ) : null}
    </section>
  );
}

/** How long a certificate still works; a badge when it needs renewing. */
function CertificateValidity(props: Readonly<{ expiry: CertificateExpiry | null }>) {
  const t = useT();
  const { language } = useI18n();
  const e = props.expiry;
  if (e === null) return null;
  if (e.type === "expired") return <span class="badge warning">{t("staff.expired")}</span>;
  return (
    <>
      {" "}
      <span class="tab-meta">{t("staff.validUntil", { date: localDate(e.notAfter, language) })}</span>
      {e.type === "expiring" ? (
        <span class="badge warning">{t("staff.expiresIn", { days: e.daysLeft })}</span>
      ) : null}
    </>
  );
}
