import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import { mailDeliveries, MAX_RESENDS_PER_DAY, resendDownloadLink, resendsLeft } from "~/admin/lead-mail.server";
import { leadDetailParamsSchema } from "~/admin/lead-schemas";
import { leadDetail, recordLeadView } from "~/admin/leads.server";
import { formatStaffDateTime } from "~/admin/staff-dates.server";
import { DataTable } from "~/components/admin/data-table";
import { CsrfField } from "~/components/admin/staff-form";
import { getFixedT } from "~/i18n.server";
import { isMailConfigured } from "~/mail/transport.server";
import { requireStaff, requireStaffForm } from "~/staff/require-staff.server";
import { httpError } from "~/utils/http-error.server";

const NAMESPACE = "admin-leads";

/** Unknown kinds and ids that could not name a row are a missing page, like rows that do not exist. */
function leadParams(params: LoaderFunctionArgs["params"]) {
  const parsed = leadDetailParamsSchema.safeParse(params);
  if (!parsed.success) throw httpError(404, "not_found");
  return parsed.data;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { staff, ipHash } = await requireStaff(request, context, "contacts");
  const { kind, id } = leadParams(params);
  const { searchParams } = new URL(request.url);
  const answersShown = searchParams.get("answers") === "1";
  const lead = leadDetail(kind, id, { withAnswers: answersShown });
  if (!lead) throw httpError(404, "not_found");
  await recordLeadView({ staffId: staff.id, ipHash }, kind, id, { answersShown });
  const at = (date: Date | null) => (date ? formatStaffDateTime(date, staff.locale) : null);
  const { createdAt, consent, ...shown } = lead;
  return {
    title: getFixedT(staff.locale, NAMESPACE)(`detail.title.${kind}`, { id }),
    lead: { ...shown, receivedAt: at(createdAt) },
    consent: consent && {
      ...consent.receipt,
      givenAt: at(consent.receipt.givenAt),
      noticeHash: consent.noticeHash,
      withdrawnAt: at(consent.withdrawnAt),
    },
    mails: mailDeliveries(kind === "download" ? { leadId: id } : { consultationId: id }).map((mail) => ({
      ...mail,
      createdAt: at(mail.createdAt),
      nextAttemptAt: mail.status === "pending" ? at(mail.nextAttemptAt) : null,
      sentAt: at(mail.sentAt),
    })),
    resend:
      kind === "download"
        ? { mailConfigured: isMailConfigured(), left: resendsLeft(id), max: MAX_RESENDS_PER_DAY }
        : null,
    sent: searchParams.get("sent") === "1",
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

/** "Send again": a new link for a download lead, mailed through the outbox; back to the page on success. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const { staff, ipHash } = await requireStaffForm(request, context, "contacts");
  const { kind, id } = leadParams(params);
  if (kind !== "download") throw httpError(404, "not_found");
  const outcome = await resendDownloadLink({ staffId: staff.id, ipHash }, id);
  if (outcome === "not_found") throw httpError(404, "not_found");
  if (outcome === "queued") return redirect(`/admin/leads/download/${id}?sent=1`);
  return data({ refusal: outcome }, { status: 409 });
}

export default function LeadDetail() {
  const { lead, consent, mails, resend, sent } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation(NAMESPACE);
  const { t: tq } = useTranslation("questionnaire");
  const { t: tp } = useTranslation("privacy");
  const none = t("none");
  const detailPath = `/admin/leads/${lead.kind}/${lead.id}`;
  return (
    <article className="stack" aria-labelledby="lead-title">
      <p>
        <Link to="/admin/leads">{t("detail.back")}</Link>
      </p>
      <h1 id="lead-title">{t(`detail.title.${lead.kind}`, { id: lead.id })}</h1>
      {sent ? (
        <p role="status" className="card">
          {t("resend.sent")}
        </p>
      ) : null}
      {actionData ? (
        <p role="alert" className="card">
          {t(`resend.refusals.${actionData.refusal}`, { max: resend?.max })}
        </p>
      ) : null}

      <section className="card stack" aria-labelledby="contact-title">
        <h2 id="contact-title">{t("detail.contactTitle")}</h2>
        <dl className="detail-list">
          <dt>{t("detail.received")}</dt>
          <dd>{lead.receivedAt}</dd>
          <dt>{t("detail.email")}</dt>
          <dd>{lead.email}</dd>
          <dt>{t("detail.name")}</dt>
          <dd>{lead.name ?? none}</dd>
          <dt>{t("detail.company")}</dt>
          <dd>{lead.company ?? none}</dd>
          <dt>{t("detail.jobTitle")}</dt>
          <dd>{lead.jobTitle ?? none}</dd>
          <dt>{t("detail.language")}</dt>
          <dd>{t(`detail.languages.${lead.locale}`, { defaultValue: lead.locale })}</dd>
        </dl>
        {lead.kind === "consultation" ? (
          <p>
            <Link to={`/admin/consultations/${lead.id}`}>{t("detail.consultationLink")}</Link>
          </p>
        ) : null}
      </section>

      <section className="card stack" aria-labelledby="consent-title">
        <h2 id="consent-title">{t("detail.consentTitle")}</h2>
        {consent ? (
          <dl className="detail-list">
            <dt>{t("detail.receiptId")}</dt>
            <dd>{consent.receiptId}</dd>
            <dt>{t("detail.consentVersion")}</dt>
            <dd>{consent.version}</dd>
            <dt>{t("detail.purpose")}</dt>
            <dd>{tp(`purposes.${consent.purpose}`)}</dd>
            <dt>{t("detail.noticeHash")}</dt>
            <dd>
              <code>{consent.noticeHash}</code>
            </dd>
            <dt>{t("detail.consentGivenAt")}</dt>
            <dd>{consent.givenAt}</dd>
            {consent.withdrawnAt ? (
              <>
                <dt>{t("detail.consentWithdrawnAt")}</dt>
                <dd>{consent.withdrawnAt}</dd>
              </>
            ) : null}
          </dl>
        ) : (
          <p>{t("detail.consentMissing", { receiptId: lead.consentReceiptId })}</p>
        )}
      </section>

      <section className="card stack" aria-labelledby="assessment-title">
        <h2 id="assessment-title">{t("detail.assessmentTitle")}</h2>
        {lead.assessment ? (
          <dl className="detail-list">
            <dt>{t("detail.totalScore")}</dt>
            <dd>{t("detail.scoreValue", { score: lead.assessment.totalScore })}</dd>
            <dt>{t("detail.level")}</dt>
            <dd>{tq(`levels.${lead.assessment.level}.name`)}</dd>
            {lead.assessment.parts.map((part) => (
              <Fragment key={part.partId}>
                <dt>{tq(`parts.${part.partId}.title`)}</dt>
                <dd>{part.score === null ? none : t("detail.scoreValue", { score: part.score })}</dd>
              </Fragment>
            ))}
          </dl>
        ) : (
          <p>{t("detail.assessmentIncomplete")}</p>
        )}
        {lead.answers ? (
          <>
            <h3>{t("detail.answersTitle")}</h3>
            <ol>
              {lead.answers.map((answer) => (
                <li key={answer.itemId}>
                  {tq(`items.${answer.itemId}`)}{" "}
                  <strong>
                    {answer.value === null
                      ? t("detail.notAnswered")
                      : t("detail.answerValue", { value: answer.value, label: tq(`scale.${answer.value}`) })}
                  </strong>
                </li>
              ))}
            </ol>
            <p>
              <Link to={detailPath}>{t("detail.hideAnswers")}</Link>
            </p>
          </>
        ) : (
          <p>
            <Link to={`${detailPath}?answers=1`}>{t("detail.showAnswers")}</Link>{" "}
            <span className="muted">{t("detail.showAnswersNote")}</span>
          </p>
        )}
      </section>

      <section className="card stack" aria-labelledby="source-title">
        <h2 id="source-title">{t("detail.sourceTitle")}</h2>
        <dl className="detail-list">
          <dt>{t("detail.utmSource")}</dt>
          <dd>{lead.utmSource ?? none}</dd>
          <dt>{t("detail.utmMedium")}</dt>
          <dd>{lead.utmMedium ?? none}</dd>
          <dt>{t("detail.utmCampaign")}</dt>
          <dd>{lead.utmCampaign ?? none}</dd>
          <dt>{t("detail.referrer")}</dt>
          <dd>{lead.referrer ?? none}</dd>
          <dt>{t("detail.deviceType")}</dt>
          <dd>{t(`detail.deviceTypes.${lead.deviceType}`, { defaultValue: lead.deviceType })}</dd>
          <dt>{t("detail.userAgent")}</dt>
          <dd>{lead.userAgent ?? none}</dd>
        </dl>
      </section>

      <section className="card stack" aria-labelledby="mail-title">
        <h2 id="mail-title">{t("mail.title")}</h2>
        <p>
          {t("mail.outcome")} {lead.mailOutcome ? t(`mailOutcomes.${lead.mailOutcome}`) : t("mail.outcomeUnknown")}
        </p>
        {mails.length === 0 ? (
          <p>{t("mail.empty")}</p>
        ) : (
          <DataTable
            caption={t("mail.caption")}
            headers={[
              t("mail.columns.kind"),
              t("mail.columns.status"),
              t("mail.columns.attempts"),
              t("mail.columns.lastError"),
              t("mail.columns.queued"),
              t("mail.columns.nextAttempt"),
              t("mail.columns.sent"),
            ]}
          >
            {mails.map((mail) => (
              <tr key={mail.id}>
                <td>{t(`mail.kinds.${mail.kind}`, { defaultValue: mail.kind })}</td>
                <td>
                  <span className={`status-badge status-badge--${mail.status}`}>
                    {t(`mail.statuses.${mail.status}`)}
                  </span>
                </td>
                <td>{mail.attempts}</td>
                <td>{mail.lastError ? <code>{mail.lastError}</code> : none}</td>
                <td>{mail.createdAt}</td>
                <td>{mail.nextAttemptAt ?? none}</td>
                <td>{mail.sentAt ?? none}</td>
              </tr>
            ))}
          </DataTable>
        )}
        {resend ? <ResendForm {...resend} /> : null}
      </section>
    </article>
  );
}

/** The button, or why there is none: mail is off, or today's resends are used up. */
function ResendForm({ mailConfigured, left, max }: { mailConfigured: boolean; left: number; max: number }) {
  const { t } = useTranslation(NAMESPACE);
  if (!mailConfigured) return <p>{t("resend.refusals.mail_off")}</p>;
  if (left === 0) return <p>{t("resend.refusals.limit_reached", { max })}</p>;
  return (
    <Form method="post" className="stack" aria-labelledby="resend-title">
      <h3 id="resend-title">{t("resend.title")}</h3>
      <p>{t("resend.explanation")}</p>
      <p className="muted">{t("resend.left", { count: left, max })}</p>
      <CsrfField />
      <p>
        <button type="submit" className="button">
          {t("resend.submit")}
        </button>
      </p>
    </Form>
  );
}
