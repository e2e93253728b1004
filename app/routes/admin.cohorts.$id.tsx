import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { parseRecordId } from "~/admin/list-params";
import { formatStaffDateTime } from "~/admin/staff-dates.server";
import { cohortDays, cohortLandingUrl, updateCohort } from "~/cohorts/cohort-admin.server";
import { cohortActionSchemas, DEFAULT_LINK_DAYS, isCohortIntent, MAX_LINK_DAYS, type CohortIntent } from "~/cohorts/cohort-schemas";
import { cohortState, cohortText, findCohort } from "~/cohorts/cohorts.server";
import { MIN_K } from "~/cohorts/k-anonymity";
import { createReportLink, listReportLinks, reportLinkUrl, revokeReportLink } from "~/cohorts/report-links.server";
import { cohortReport } from "~/cohorts/report-view.server";
import { DataTable } from "~/components/admin/data-table";
import { CsrfField, StaffErrorSummary } from "~/components/admin/staff-form";
import { CohortReportView } from "~/components/cohort-report";
import { CohortSettingsFields } from "~/components/cohort-settings-fields";
import { TextField, useSchemaForm } from "~/components/forms";
import { getFixedT } from "~/i18n.server";
import { requireStaff, requireStaffForm } from "~/staff/require-staff.server";
import { roleAllows } from "~/staff/roles";
import { getEnv } from "~/utils/env.server";
import { invariantResponse } from "~/utils/http.server";
import { parseFormSubmission } from "~/validation/form";

const NAMESPACE = "admin-cohorts";

/** What a change did, carried by the redirect back (`?notice=`) so the page can say so. */
const notices = ["created", "updated", "unchanged", "linkRevoked", "linkAlreadyRevoked"] as const;

function cohortIdOf(params: { id?: string }) {
  const id = parseRecordId(params.id);
  invariantResponse(id, 404);
  return id;
}

/** The report is aggregates, so every role may read it; its settings and HR links take `cohorts`. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { staff } = await requireStaff(request, context, "dashboard");
  const cohort = findCohort(cohortIdOf(params));
  invariantResponse(cohort, 404);
  const notice = new URL(request.url).searchParams.get("notice");
  const when = (date: Date | null) => date && formatStaffDateTime(date, staff.locale);
  const days = cohortDays(cohort);
  return {
    title: getFixedT(staff.locale, NAMESPACE)("detail.title", { name: cohortText(cohort, staff.locale).name }),
    notice: notices.find((known) => known === notice) ?? null,
    cohort: {
      id: cohort.id,
      state: cohortState(cohort),
      links: { ko: cohortLandingUrl("ko", cohort.code), en: cohortLandingUrl("en", cohort.code) },
    },
    report: cohortReport(cohort, staff.locale),
    manage: roleAllows(staff.role, "cohorts")
      ? {
          timeZone: getEnv().STAFF_TIME_ZONE,
          settings: {
            nameKo: cohort.nameKo,
            nameEn: cohort.nameEn,
            introKo: cohort.introKo ?? "",
            introEn: cohort.introEn ?? "",
            ...days,
            targetSize: cohort.targetSize === null ? "" : String(cohort.targetSize),
            k: String(cohort.minGroupSize),
          },
          reportLinks: listReportLinks(cohort.id).map((link) => ({
            id: link.id,
            state: link.state,
            useCount: link.useCount,
            createdAt: when(link.createdAt)!,
            expiresAt: when(link.expiresAt)!,
            revokedAt: when(link.revokedAt),
            lastUsedAt: when(link.lastUsedAt),
          })),
        }
      : null,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

/** A form's refusal, sent back to the form that posted it (the page has several), its values kept. */
function reply(
  submission: ReturnType<typeof parseFormSubmission>,
  status: 400 | 404,
  errors: { formErrors?: string[]; fieldErrors?: Record<string, string[]> } = {},
) {
  return data(submission.reply(errors), { status });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { staff, ipHash, formData } = await requireStaffForm(request, context, "cohorts");
  const id = cohortIdOf(params);
  const intent = formData.get("intent");
  invariantResponse(isCohortIntent(intent), 400);
  const actor = { staffId: staff.id, ipHash };
  const back = (notice: (typeof notices)[number]) => redirect(`/admin/cohorts/${id}?notice=${notice}`);
  switch (intent) {
    case "settings": {
      const submission = parseFormSubmission(formData, cohortActionSchemas.settings);
      if (submission.status !== "success") return reply(submission, 400);
      const result = await updateCohort(actor, id, submission.value);
      if (result.outcome === "not_found") return reply(submission, 404, { formErrors: ["refusals.notFound"] });
      if (result.outcome === "k_lowered") return reply(submission, 400, { fieldErrors: { k: ["validation.kLowered"] } });
      return back(result.outcome);
    }
    case "createLink": {
      const submission = parseFormSubmission(formData, cohortActionSchemas.createLink);
      if (submission.status !== "success") return reply(submission, 400);
      const created = await createReportLink(actor, id, submission.value.days);
      if (!created) return reply(submission, 404, { formErrors: ["refusals.notFound"] });
      // The token is shown this once, in the answer to the POST: only its hash is kept, and a redirect would put it in a URL.
      return data(
        {
          createdLink: {
            ko: reportLinkUrl("ko", created.token),
            en: reportLinkUrl("en", created.token),
            expiresAt: formatStaffDateTime(created.expiresAt, staff.locale),
          },
        },
        { status: 201 },
      );
    }
    case "revokeLink": {
      const submission = parseFormSubmission(formData, cohortActionSchemas.revokeLink);
      if (submission.status !== "success") return reply(submission, 400);
      const outcome = await revokeReportLink(actor, id, submission.value.linkId);
      if (outcome === "not_found") return reply(submission, 404, { formErrors: ["refusals.linkNotFound"] });
      return back(outcome === "revoked" ? "linkRevoked" : "linkAlreadyRevoked");
    }
  }
}

type ActionResult = ReturnType<typeof useActionData<typeof action>>;

/** The last post's result if the form of `intent` sent it. */
function resultFor(actionData: ActionResult, intent: CohortIntent) {
  const result = actionData as SubmissionResult<string[]> | undefined;
  return (result?.initialValue as Record<string, unknown> | undefined)?.intent === intent ? result : undefined;
}

export default function CohortPage() {
  const { cohort, report, manage, notice } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation(NAMESPACE);
  const createdLink = actionData && "createdLink" in actionData ? actionData.createdLink : null;
  return (
    <section className="stack" aria-labelledby="cohort-title">
      <p>
        <Link to="/admin/cohorts">{t("detail.back")}</Link>
      </p>
      <h1 id="cohort-title">{report.name}</h1>
      <p>
        <span className={`status-badge${cohort.state === "open" ? " status-badge--sent" : ""}`}>{t(`states.${cohort.state}`)}</span>
      </p>
      {notice ? (
        <p role="status" className="notice">
          {t(`detail.notices.${notice}`)}
        </p>
      ) : null}

      <section className="stack" aria-labelledby="cohort-links-title">
        <h2 id="cohort-links-title">{t("detail.invitation")}</h2>
        <p className="hint">{t("detail.invitationHint")}</p>
        <dl>
          {(["ko", "en"] as const).map((language) => (
            <div key={language}>
              <dt>{t(`languages.${language}`)}</dt>
              <dd>
                <code data-testid={`cohort-link-${language}`}>{cohort.links[language]}</code>
              </dd>
            </div>
          ))}
        </dl>
      </section>

      <p>
        <a href={`/admin/cohorts/${cohort.id}/pdf`} download>
          {t("detail.pdf")}
        </a>
        {" · "}
        <a href={`/admin/cohorts/${cohort.id}/csv`} download>
          {t("detail.csv")}
        </a>
      </p>
      <CohortReportView report={report} />

      {manage ? (
        <>
          <ReportLinks links={manage.reportLinks} createdLink={createdLink} actionData={actionData} />
          <Settings settings={manage.settings} timeZone={manage.timeZone} actionData={actionData} />
        </>
      ) : null}
    </section>
  );
}

type Managed = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["manage"]>;

function ReportLinks({
  links,
  createdLink,
  actionData,
}: {
  links: Managed["reportLinks"];
  createdLink: { ko: string; en: string; expiresAt: string } | null;
  actionData: ActionResult;
}) {
  const { t } = useTranslation(NAMESPACE);
  const [form, fields] = useSchemaForm({
    id: "create-link",
    schema: cohortActionSchemas.createLink,
    lastResult: resultFor(actionData, "createLink"),
    defaultValue: { days: String(DEFAULT_LINK_DAYS) },
    shouldValidate: "onSubmit",
  });
  // The revoke buttons hold no typed values, so a refused one shows only its message.
  const revokeErrors = Object.values(resultFor(actionData, "revokeLink")?.error ?? {}).flatMap((keys) => keys ?? []);
  return (
    <section className="stack" aria-labelledby="hr-links-title" id="hr-links">
      <h2 id="hr-links-title">{t("links.title")}</h2>
      <p>{t("links.lead")}</p>
      {createdLink ? (
        <div className="card stack" role="status" data-testid="created-link">
          <h3>{t("links.created")}</h3>
          <p>{t("links.createdOnce", { date: createdLink.expiresAt })}</p>
          <dl>
            {(["ko", "en"] as const).map((language) => (
              <div key={language}>
                <dt>{t(`languages.${language}`)}</dt>
                <dd>
                  <code>{createdLink[language]}</code>
                </dd>
              </div>
            ))}
          </dl>
        </div>
      ) : null}
      <StaffErrorSummary id="revoke-link-errors" namespace={NAMESPACE} formErrors={revokeErrors} fields={[]} />
      {links.length === 0 ? (
        <p>{t("links.empty")}</p>
      ) : (
        <DataTable
          caption={t("links.caption")}
          headers={[t("links.columns.created"), t("links.columns.expires"), t("links.columns.uses"), t("links.columns.state"), t("links.columns.action")]}
        >
          {links.map((link) => (
            <tr key={link.id}>
              <td>{link.createdAt}</td>
              <td>{link.expiresAt}</td>
              <td>
                {t("links.uses", { count: link.useCount })}
                {link.lastUsedAt ? <div className="muted">{t("links.lastUsed", { date: link.lastUsedAt })}</div> : null}
              </td>
              <td>
                <span className={`status-badge${link.state === "active" ? " status-badge--sent" : ""}`}>
                  {link.state === "revoked" ? t("links.revokedAt", { date: link.revokedAt }) : t(`links.states.${link.state}`)}
                </span>
              </td>
              <td>
                {link.state === "revoked" ? null : (
                  <Form method="post" className="inline-form">
                    <CsrfField />
                    <input type="hidden" name="intent" value="revokeLink" />
                    <input type="hidden" name="linkId" value={link.id} />
                    <button type="submit" className="button button--secondary" aria-label={t("links.revokeLabel", { date: link.createdAt })}>
                      {t("links.revoke")}
                    </button>
                  </Form>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <Form method="post" {...getFormProps(form)} className="card stack">
        <h3>{t("links.new")}</h3>
        <StaffErrorSummary id="create-link-errors" namespace={NAMESPACE} formErrors={form.errors} fields={[fields.days]} />
        <CsrfField />
        <input type="hidden" name="intent" value="createLink" />
        <TextField namespace={NAMESPACE} field={fields.days} label={t("links.days")} hint={t("links.daysHint", { max: MAX_LINK_DAYS })} />
        <p>
          <button type="submit" className="button">
            {t("links.create")}
          </button>
        </p>
      </Form>
    </section>
  );
}

function Settings({ settings, timeZone, actionData }: { settings: Managed["settings"]; timeZone: string; actionData: ActionResult }) {
  const { t } = useTranslation(NAMESPACE);
  const [form, fields] = useSchemaForm({
    id: "cohort-settings",
    schema: cohortActionSchemas.settings,
    lastResult: resultFor(actionData, "settings"),
    defaultValue: settings,
    shouldValidate: "onSubmit",
  });
  return (
    <section className="stack" aria-labelledby="settings-title">
      <h2 id="settings-title">{t("settings.title")}</h2>
      <Form method="post" {...getFormProps(form)} className="card stack">
        <StaffErrorSummary
          id="cohort-settings-errors"
          namespace={NAMESPACE}
          formErrors={form.errors}
          fields={[fields.nameKo, fields.nameEn, fields.introKo, fields.introEn, fields.opensOn, fields.closesOn, fields.targetSize, fields.k]}
        />
        <CsrfField />
        <input type="hidden" name="intent" value="settings" />
        <CohortSettingsFields fields={fields} timeZone={timeZone} kHint={t("settings.kRaiseHint", { k: settings.k, min: MIN_K })} />
        <p>
          <button type="submit" className="button">
            {t("settings.submit")}
          </button>
        </p>
      </Form>
    </section>
  );
}
