import { getFormProps } from "@conform-to/react";
import {
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import { consultationStatusChangeSchema } from "~/admin/consultation-schemas";
import {
  ageInDays,
  consultationDetail,
  recordConsultationView,
  updateConsultationStatus,
} from "~/admin/consultations.server";
import { parseRecordId } from "~/admin/list-params";
import { formatStaffDateTime } from "~/admin/staff-dates.server";
import { RadioGroupField } from "~/components/choice-fields";
import { CsrfField, StaffErrorSummary } from "~/components/admin/staff-form";
import { TextField, useSchemaForm } from "~/components/forms";
import { getFixedT } from "~/i18n.server";
import { rejectSubmission } from "~/staff/form-reply.server";
import { requireStaff, requireStaffForm } from "~/staff/require-staff.server";
import { invariantResponse } from "~/utils/http.server";
import { parseFormSubmission } from "~/validation/form";

const NAMESPACE = "admin-consultations";
const STATUS_CHANGED = "statusChanged";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { staff, ipHash } = await requireStaff(request, context, "contacts");
  const id = parseRecordId(params.id);
  invariantResponse(id, 404);
  const consultation = consultationDetail(id);
  invariantResponse(consultation, 404);
  await recordConsultationView({ staffId: staff.id, ipHash }, id);

  const when = (date: Date) => formatStaffDateTime(date, staff.locale);
  const { createdAt, completedAt, retainUntil, consentReceipt, history, ...fields } = consultation;
  return {
    title: getFixedT(staff.locale, NAMESPACE)("detail.title", { id }),
    statusChanged: new URL(request.url).searchParams.get("notice") === STATUS_CHANGED,
    consultation: {
      ...fields,
      receivedAt: when(createdAt),
      ageDays: ageInDays(createdAt, new Date()),
      completedAt: completedAt && when(completedAt),
      retainUntil: retainUntil && when(retainUntil),
      consentReceipt: consentReceipt && { locale: consentReceipt.locale, givenAt: when(consentReceipt.givenAt) },
      history: history.map(({ createdAt: changedAt, ...step }) => ({ ...step, changedAt: when(changedAt) })),
    },
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { staff, ipHash, formData } = await requireStaffForm(request, context, "contacts");
  const id = parseRecordId(params.id);
  invariantResponse(id, 404);
  const submission = parseFormSubmission(formData, consultationStatusChangeSchema);
  if (submission.status !== "success") return rejectSubmission(submission);
  const result = await updateConsultationStatus({ staffId: staff.id, ipHash }, { id, ...submission.value });
  invariantResponse(result.outcome !== "not_found", 404);
  if (result.outcome === "not_allowed") return rejectSubmission(submission, { formErrors: ["statusForm.notAllowed"] });
  if (result.outcome === "already_changed") {
    return rejectSubmission(submission, { status: 409, formErrors: ["statusForm.alreadyChanged"] });
  }
  return redirect(`/admin/consultations/${id}?notice=${STATUS_CHANGED}`);
}

/** Keeps the requester's line breaks without letting their text become markup. */
function MultilineText({ text }: { text: string }) {
  const lines = text.split(/\r?\n/);
  return (
    <p>
      {lines.map((line, index) => (
        <Fragment key={index}>
          {line}
          {index < lines.length - 1 ? <br /> : null}
        </Fragment>
      ))}
    </p>
  );
}

function StatusChangeForm({ currentStatus, nextStatuses }: { currentStatus: string; nextStatuses: readonly string[] }) {
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation(NAMESPACE);
  const [form, fields] = useSchemaForm({
    id: "consultation-status",
    schema: consultationStatusChangeSchema,
    lastResult,
    shouldValidate: "onSubmit",
  });
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <StaffErrorSummary
        id="consultation-status-errors"
        namespace={NAMESPACE}
        // The hidden current status has no field to point at: its problem is the form's.
        formErrors={[...(form.errors ?? []), ...(fields.currentStatus.errors ?? [])]}
        fields={[fields.status, fields.note]}
      />
      <CsrfField />
      {/* What this page showed, never the resubmitted value: after a conflict the page shows the new status. */}
      <input type="hidden" name="currentStatus" value={currentStatus} />
      <RadioGroupField
        namespace={NAMESPACE}
        field={fields.status}
        label={t("statusForm.legend")}
        hint={nextStatuses.includes("completed") ? t("statusForm.completeHint") : undefined}
        choices={nextStatuses.map((status) => ({ value: status, label: t(`statuses.${status}`) }))}
      />
      <TextField namespace={NAMESPACE} field={fields.note} label={t("statusForm.note")} hint={t("statusForm.noteHint")} multiline optional />
      <p>
        <button type="submit" className="button">
          {t("statusForm.submit")}
        </button>
      </p>
    </Form>
  );
}

export default function ConsultationDetail() {
  const { consultation, statusChanged } = useLoaderData<typeof loader>();
  const { t } = useTranslation(NAMESPACE);
  const { t: tq } = useTranslation("questionnaire");
  const none = t("none");
  return (
    <article className="stack" aria-labelledby="consultation-title">
      <p>
        <Link to="/admin/consultations">{t("detail.back")}</Link>
      </p>
      <h1 id="consultation-title">{t("detail.title", { id: consultation.id })}</h1>
      {statusChanged ? <p role="status">{t("detail.statusChanged")}</p> : null}

      <dl className="detail-list">
        <dt>{t("detail.status")}</dt>
        <dd>
          <span className={`status-badge status-badge--${consultation.status}`}>{t(`statuses.${consultation.status}`)}</span>
        </dd>
        <dt>{t("detail.received")}</dt>
        <dd>{consultation.receivedAt}</dd>
        <dt>{t("detail.age")}</dt>
        <dd>{t("list.ageDays", { count: consultation.ageDays })}</dd>
        {consultation.completedAt ? (
          <>
            <dt>{t("detail.completedAt")}</dt>
            <dd>{consultation.completedAt}</dd>
          </>
        ) : null}
        {consultation.retainUntil ? (
          <>
            <dt>{t("detail.retainUntil")}</dt>
            <dd>
              {consultation.retainUntil} <span className="muted">{t("detail.retentionNote")}</span>
            </dd>
          </>
        ) : null}
      </dl>

      <section className="card stack" aria-labelledby="contact-title">
        <h2 id="contact-title">{t("detail.contactTitle")}</h2>
        <dl className="detail-list">
          <dt>{t("detail.name")}</dt>
          <dd>{consultation.name ?? none}</dd>
          <dt>{t("detail.email")}</dt>
          <dd>{consultation.email}</dd>
          <dt>{t("detail.company")}</dt>
          <dd>{consultation.company ?? none}</dd>
          <dt>{t("detail.jobTitle")}</dt>
          <dd>{consultation.jobTitle ?? none}</dd>
          <dt>{t("detail.language")}</dt>
          <dd>{t(`detail.languages.${consultation.locale}`, { defaultValue: consultation.locale })}</dd>
          <dt>{t("detail.source")}</dt>
          <dd>
            {consultation.utmSource ?? none} / {consultation.utmCampaign ?? none}
          </dd>
        </dl>
      </section>

      <section className="card stack" aria-labelledby="message-title">
        <h2 id="message-title">{t("detail.messageTitle")}</h2>
        <MultilineText text={consultation.message} />
      </section>

      <section className="card stack" aria-labelledby="consent-title">
        <h2 id="consent-title">{t("detail.consentTitle")}</h2>
        <dl className="detail-list">
          <dt>{t("detail.receiptId")}</dt>
          <dd>{consultation.consentReceiptId}</dd>
          <dt>{t("detail.consentVersion")}</dt>
          <dd>{consultation.consentVersion}</dd>
          {consultation.consentReceipt ? (
            <>
              <dt>{t("detail.consentGivenAt")}</dt>
              <dd>{consultation.consentReceipt.givenAt}</dd>
              <dt>{t("detail.consentLanguage")}</dt>
              <dd>{t(`detail.languages.${consultation.consentReceipt.locale}`)}</dd>
            </>
          ) : null}
        </dl>
        {consultation.consentReceipt ? null : <p className="muted">{t("detail.consentMissing")}</p>}
      </section>

      <section className="card stack" aria-labelledby="assessment-title">
        <h2 id="assessment-title">{t("detail.assessmentTitle")}</h2>
        {consultation.assessment ? (
          <dl className="detail-list">
            <dt>{t("detail.score")}</dt>
            <dd>{t("detail.scoreValue", { score: consultation.assessment.totalScore })}</dd>
            <dt>{t("detail.level")}</dt>
            <dd>{tq(`levels.${consultation.assessment.level}.name`)}</dd>
          </dl>
        ) : (
          <p>{t("detail.assessmentIncomplete")}</p>
        )}
      </section>

      <section className="card stack" aria-labelledby="mail-title">
        <h2 id="mail-title">{t("detail.mailTitle")}</h2>
        <p>
          <Link to={`/admin/leads/consultation/${consultation.id}`}>{t("detail.mailLink")}</Link>
        </p>
      </section>

      <section className="card stack" aria-labelledby="history-title">
        <h2 id="history-title">{t("detail.historyTitle")}</h2>
        {consultation.history.length === 0 ? (
          <p>{t("detail.historyEmpty")}</p>
        ) : (
          <ol className="stack">
            {consultation.history.map((step) => (
              <li key={step.id}>
                <p>
                  <strong>
                    {t("detail.historyStep", { from: t(`statuses.${step.fromStatus}`), to: t(`statuses.${step.toStatus}`) })}
                  </strong>{" "}
                  <span className="muted">
                    {step.changedAt} · {t("detail.historyBy", { name: step.staffName ?? t("detail.unknownStaff") })}
                  </span>
                </p>
                {step.note ? <MultilineText text={step.note} /> : null}
              </li>
            ))}
          </ol>
        )}
      </section>

      <section className="card stack" aria-labelledby="status-form-title">
        <h2 id="status-form-title">{t("statusForm.title")}</h2>
        {consultation.nextStatuses.length > 0 ? (
          <StatusChangeForm currentStatus={consultation.status} nextStatuses={consultation.nextStatuses} />
        ) : (
          <p>{t("statusForm.closed")}</p>
        )}
      </section>
    </article>
  );
}
