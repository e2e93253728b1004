import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import type { z, ZodTypeAny } from "zod";
import { useTranslation } from "react-i18next";
import { parseRecordId } from "~/admin/list-params";
import { isRequestIntent, requestActionSchemas, type RequestIntent } from "~/admin/privacy-request-schemas";
import {
  assignableStaff,
  isAssignable,
  privacyRequestDetail,
  recordRequestView,
} from "~/admin/privacy-requests.server";
import { formatStaffDateTime } from "~/admin/staff-dates.server";
import { DeadlineBadge } from "~/components/admin/deadline";
import { CsrfField, StaffErrorSummary } from "~/components/admin/staff-form";
import { RadioGroupField, SelectField } from "~/components/choice-fields";
import { TextField, useSchemaForm } from "~/components/forms";
import { getFixedT } from "~/i18n.server";
import { isMailConfigured } from "~/mail/transport.server";
import { mailAccessLink } from "~/privacy/access-bundle.server";
import { MAX_EXTENSION_DAYS } from "~/privacy/request-clock";
import { requestOutcomeValues } from "~/privacy/request-schemas";
import {
  addRequestNote,
  assignRequest,
  closeRequest,
  extendRequest,
  markProcessorDone,
  startRequest,
  verifyRequestIdentity,
  type RequestChange,
} from "~/privacy/requests.server";
import {
  eraseForRequest,
  liftRestrictionForRequest,
  rectifyForRequest,
  restrictForRequest,
} from "~/privacy/subject-actions.server";
import { requireStaff, requireStaffForm } from "~/staff/require-staff.server";
import { publicOrigin, invariantResponse } from "~/utils/http.server";
import { parseFormSubmission } from "~/validation/form";

const NAMESPACE = "admin-privacy";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { staff, ipHash } = await requireStaff(request, context, "privacy");
  const id = parseRecordId(params.id);
  invariantResponse(id, 404);
  const detail = privacyRequestDetail(id);
  invariantResponse(detail, 404);
  await recordRequestView({ staffId: staff.id, ipHash }, id);
  const when = (date: Date | null) => date && formatStaffDateTime(date, staff.locale);
  const notice = new URL(request.url).searchParams.get("notice");
  return {
    title: getFixedT(staff.locale, NAMESPACE)("detail.title", { reference: detail.reference }),
    notice: notice && /^[a-zA-Z]+$/.test(notice) ? notice : null,
    mailOn: isMailConfigured(),
    staffOptions: assignableStaff(),
    request: {
      id: detail.id,
      reference: detail.reference,
      type: detail.type,
      channel: detail.channel,
      locale: detail.locale,
      status: detail.status,
      outcome: detail.outcome,
      deadline: detail.deadline,
      email: detail.email,
      details: detail.details,
      consentReceiptId: detail.consentReceiptId,
      receivedAt: when(detail.receivedAt)!,
      identityVerifiedAt: when(detail.identityVerifiedAt),
      pausedDays: Math.round(detail.pausedMs / 86_400_000),
      dueAt: when(detail.dueAt),
      extendedAt: when(detail.extendedAt),
      extensionDays: detail.extensionDays,
      extensionReason: detail.extensionReason,
      closedAt: when(detail.closedAt),
      erasedAt: when(detail.erasedAt),
      outcomeNote: detail.outcomeNote,
      assignedStaffId: detail.assignedStaffId,
      assignedStaffName: detail.assignedStaffName,
      workingDataPurged: detail.workingDataPurgedAt !== null,
      processors: (detail.processors ?? []).map((processor) => ({
        integration: processor.integration,
        transfers: processor.transfers,
        doneAt: processor.doneAt === null ? null : when(new Date(processor.doneAt)),
      })),
      notes: detail.notes.map((note) => ({ id: note.id, note: note.note, staffName: note.staffName, createdAt: when(note.createdAt)! })),
      history: detail.history.map((row) => ({ id: row.id, action: row.action, staffName: row.staffName, createdAt: when(row.createdAt)! })),
      accessLinks: detail.accessLinks.map((link) => ({ createdAt: when(link.createdAt)!, expiresAt: when(link.expiresAt)!, useCount: link.useCount })),
      holdings: detail.holdings && {
        restricted: detail.holdings.restricted,
        sessions: detail.holdings.sessions,
        recipients: detail.holdings.recipients,
        records: detail.holdings.records.map((record) => ({ ...record, createdAt: when(record.createdAt)! })),
      },
    },
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

/** A form's refusal, sent back to the form that posted it (the page has several). */
function reply(submission: ReturnType<typeof parseFormSubmission>, status: number, formErrors?: string[]) {
  return data(submission.reply({ formErrors }), { status });
}

const refusalStatus: Record<string, number> = { closed: 409, already_changed: 409, already_extended: 409, already_verified: 409 };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { staff, ipHash, formData } = await requireStaffForm(request, context, "privacy");
  const id = parseRecordId(params.id);
  invariantResponse(id, 404);
  const intent = formData.get("intent");
  invariantResponse(isRequestIntent(intent), 400);
  const submission = parseFormSubmission(formData, requestActionSchemas[intent]);
  if (submission.status !== "success") return reply(submission, 400);
  const actor = { staffId: staff.id, ipHash };
  const handlers: { [Intent in RequestIntent]: (value: z.output<(typeof requestActionSchemas)[Intent]>) => Promise<RequestChange<object>> } = {
    verify: () => verifyRequestIdentity(actor, id),
    start: () => startRequest(actor, id),
    assign: ({ assignee }) => assignRequest(actor, id, assignee, isAssignable),
    note: ({ note }) => addRequestNote(actor, id, note),
    extend: (value) => extendRequest(actor, id, value),
    close: (value) => closeRequest(actor, id, value),
    erase: () => eraseForRequest(actor, id),
    restrict: () => restrictForRequest(actor, id),
    lift: () => liftRestrictionForRequest(actor, id),
    mailAccess: () => mailAccessLink(actor, id, publicOrigin()),
    rectify: ({ job_title: jobTitle, ...change }) => rectifyForRequest(actor, id, { ...change, jobTitle }),
    processorDone: ({ integration }) => markProcessorDone(actor, id, integration),
  };
  // The schema was picked by the same intent, so the value fits its handler.
  const result = await handlers[intent](submission.value as never);
  if (result.outcome === "not_found") return reply(submission, 404, ["refusals.not_found"]);
  if (result.outcome === "refused") return reply(submission, refusalStatus[result.reason] ?? 400, [`refusals.${result.reason}`]);
  return redirect(`/admin/privacy-requests/${id}?notice=${intent}`);
}

type LoadedRequest = ReturnType<typeof useLoaderData<typeof loader>>["request"];

/** The result of the last post, for the form that sent it: each form posts its intent (and record). */
function useFormResult(intent: RequestIntent, recordKey?: string) {
  const lastResult = useActionData<typeof action>() as SubmissionResult<string[]> | undefined;
  const sent = lastResult?.initialValue as Record<string, unknown> | undefined;
  if (sent?.intent !== intent) return undefined;
  const sentKey = sent.integration ?? (sent.recordId === undefined ? undefined : `${sent.kind}-${sent.recordId}`);
  return sentKey === recordKey ? lastResult : undefined;
}

/** The conform form of one intent, with the last result if this form sent it. */
function useIntentForm<Schema extends ZodTypeAny>(
  intent: RequestIntent,
  schema: Schema,
  { recordKey, defaultValue }: { recordKey?: string; defaultValue?: Parameters<typeof useSchemaForm<Schema>>[0]["defaultValue"] } = {},
) {
  return useSchemaForm({
    id: `request-${intent}${recordKey ? `-${recordKey}` : ""}`,
    schema,
    lastResult: useFormResult(intent, recordKey),
    defaultValue,
    shouldValidate: "onSubmit",
  });
}

/** A form of the page: its CSRF token and intent, the summary of its problems, its fields and button. */
function IntentForm({
  form,
  intent,
  errorFields = [],
  submitLabel,
  hidden = {},
  secondary = false,
  children,
}: {
  form: ReturnType<typeof useSchemaForm>[0];
  intent: RequestIntent;
  errorFields?: Array<{ id: string; errors?: string[] }>;
  submitLabel: string;
  hidden?: Record<string, string>;
  secondary?: boolean;
  children?: ReactNode;
}) {
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <StaffErrorSummary id={`${form.id}-errors`} namespace={NAMESPACE} formErrors={form.errors} fields={errorFields} />
      <CsrfField />
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
      <p>
        <button type="submit" className={secondary ? "button button--secondary" : "button"}>
          {submitLabel}
        </button>
      </p>
    </Form>
  );
}

/** A form that posts nothing but its intent (and hidden values): the button is the whole answer. */
function ButtonForm({
  intent,
  submitLabel,
  hidden,
  children,
}: {
  intent: Exclude<RequestIntent, "assign" | "note" | "extend" | "close" | "erase" | "rectify">;
  submitLabel: string;
  hidden?: Record<string, string>;
  children?: ReactNode;
}) {
  const [form] = useIntentForm(intent, requestActionSchemas[intent], { recordKey: hidden?.integration });
  return (
    <IntentForm form={form} intent={intent} submitLabel={submitLabel} hidden={hidden}>
      {children}
    </IntentForm>
  );
}

function Entry({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

export default function PrivacyRequestPage() {
  const { request, notice } = useLoaderData<typeof loader>();
  const { t } = useTranslation(NAMESPACE);
  const open = request.status !== "closed";
  return (
    <article className="stack" aria-labelledby="request-title">
      <p>
        <Link to="/admin/privacy-requests">{t("detail.back")}</Link>
      </p>
      <h1 id="request-title">{t("detail.title", { reference: request.reference })}</h1>
      {notice ? (
        <p role="status" className="notice">
          {t(`notices.${notice}`, { defaultValue: t("notices.saved") })}
        </p>
      ) : null}

      <dl className="detail-list">
        <Entry label={t("detail.type")}>{t(`types.${request.type}`)}</Entry>
        <Entry label={t("detail.channel")}>{t(`channels.${request.channel}`)}</Entry>
        <Entry label={t("detail.status")}>
          {t(`statuses.${request.status}`)}
          {request.outcome ? ` · ${t(`outcomes.${request.outcome}`)}` : null}
        </Entry>
        <Entry label={t("detail.assigned")}>{request.assignedStaffName ?? t("register.unassigned")}</Entry>
      </dl>

      <ClockSection request={request} />
      <SubjectSection request={request} />
      {request.holdings ? <HoldingsSection request={request} /> : null}
      <TypeActions request={request} />
      {request.processors.length > 0 ? <ProcessorsSection request={request} /> : null}
      {open ? <HandlingSection request={request} /> : null}
      <NotesSection request={request} />
      {open ? <CloseSection request={request} /> : <ClosedSection request={request} />}
      <HistorySection request={request} />
    </article>
  );
}

function ClockSection({ request }: { request: LoadedRequest }) {
  const { t } = useTranslation(NAMESPACE);
  const verified = request.identityVerifiedAt !== null;
  return (
    <section className="card stack" aria-labelledby="clock-title">
      <h2 id="clock-title">{t("clock.title")}</h2>
      <dl className="detail-list">
        <Entry label={t("clock.received")}>{request.receivedAt}</Entry>
        <Entry label={t("clock.identity")}>{verified ? t("clock.verifiedAt", { date: request.identityVerifiedAt }) : t("clock.unverified")}</Entry>
        {request.pausedDays > 0 ? <Entry label={t("clock.paused")}>{t("clock.pausedDays", { count: request.pausedDays })}</Entry> : null}
        <Entry label={t("clock.due")}>
          <span data-testid="request-due">{request.dueAt ?? t("clock.stopped")}</span> <DeadlineBadge state={request.deadline} />
        </Entry>
        {request.extendedAt ? (
          <Entry label={t("clock.extension")}>
            {t("clock.extendedBy", { count: request.extensionDays ?? 0, date: request.extendedAt })}
            <br />
            {request.extensionReason ?? t("clock.reasonPurged")}
          </Entry>
        ) : null}
        {request.closedAt ? <Entry label={t("clock.closed")}>{request.closedAt}</Entry> : null}
      </dl>
      {request.status !== "closed" && !verified ? (
        <ButtonForm intent="verify" submitLabel={t("clock.verify")}>
          <p>{t("clock.verifyHint")}</p>
        </ButtonForm>
      ) : null}
      {request.status !== "closed" && verified && !request.extendedAt ? (
        <details>
          <summary>{t("clock.extendTitle")}</summary>
          <ExtendForm />
        </details>
      ) : null}
    </section>
  );
}

function SubjectSection({ request }: { request: LoadedRequest }) {
  const { t } = useTranslation(NAMESPACE);
  return (
    <section className="card stack" aria-labelledby="subject-title">
      <h2 id="subject-title">{t("subject.title")}</h2>
      <dl className="detail-list">
        <Entry label={t("subject.email")}>
          <span data-testid="request-email">{request.email ?? t(request.erasedAt ? "subject.erased" : "subject.purged")}</span>
        </Entry>
        <Entry label={t("subject.language")}>{t(`languages.${request.locale}`)}</Entry>
        {request.details ? <Entry label={t("subject.details")}>{request.details}</Entry> : null}
        {request.consentReceiptId ? <Entry label={t("subject.consentReceipt")}>{request.consentReceiptId}</Entry> : null}
        {request.erasedAt ? <Entry label={t("subject.erasedAt")}>{request.erasedAt}</Entry> : null}
      </dl>
    </section>
  );
}

function HoldingsSection({ request }: { request: LoadedRequest }) {
  const { t } = useTranslation(NAMESPACE);
  const holdings = request.holdings!;
  return (
    <section className="card stack" aria-labelledby="holdings-title">
      <h2 id="holdings-title">{t("holdings.title")}</h2>
      {holdings.restricted ? <p className="status-badge deadline--paused">{t("holdings.restricted")}</p> : null}
      {holdings.records.length === 0 ? (
        <p data-testid="holdings-none">{t("holdings.none")}</p>
      ) : (
        <ul className="stack" data-testid="holdings">
          {holdings.records.map((record) => (
            <li key={`${record.kind}-${record.id}`}>
              <Link to={`/admin/leads/${record.kind}/${record.id}`}>{t(`holdings.kinds.${record.kind}`, { id: record.id })}</Link>
              {" · "}
              {record.createdAt} · {record.name ?? t("holdings.noName")} · {record.email}
              {record.company ? ` · ${record.company}` : null}
            </li>
          ))}
        </ul>
      )}
      <p>{t("holdings.sessions", { count: holdings.sessions })}</p>
      {holdings.recipients.length > 0 ? (
        <p>
          {t("holdings.recipients", {
            list: holdings.recipients.map((recipient) => t(`processors.${recipient.integration}.name`)).join(", "),
          })}
        </p>
      ) : null}
    </section>
  );
}

/** What this kind of request asks staff to do, once the requester is known to own the address. */
function TypeActions({ request }: { request: LoadedRequest }) {
  const { t } = useTranslation(NAMESPACE);
  const { mailOn } = useLoaderData<typeof loader>();
  const open = request.status !== "closed";
  const verified = request.identityVerifiedAt !== null;
  const restricted = request.holdings?.restricted ?? false;
  if (request.type === "restriction" && !open && restricted) {
    return (
      <section className="card stack" aria-labelledby="actions-title">
        <h2 id="actions-title">{t("actions.title")}</h2>
        <ButtonForm intent="lift" submitLabel={t("actions.lift")}>
          <p>{t("actions.liftHint")}</p>
        </ButtonForm>
      </section>
    );
  }
  if (!open) return null;
  return (
    <section className="card stack" aria-labelledby="actions-title">
      <h2 id="actions-title">{t("actions.title")}</h2>
      {!verified ? (
        <p>{t("actions.needsIdentity")}</p>
      ) : request.type === "access" ? (
        <div className="action-forms">
          {mailOn && request.email ? (
            <ButtonForm intent="mailAccess" submitLabel={t("actions.mailAccess")}>
              <p>{t("actions.mailAccessHint", { email: request.email })}</p>
            </ButtonForm>
          ) : (
            <p>{t("actions.mailOff")}</p>
          )}
          <p>
            <a href={`/admin/privacy-requests/${request.id}/data?format=json`} download>
              {t("actions.downloadJson")}
            </a>
            {" · "}
            <a href={`/admin/privacy-requests/${request.id}/data?format=html`} download>
              {t("actions.downloadHtml")}
            </a>
          </p>
          {request.accessLinks.length > 0 ? (
            <ul>
              {request.accessLinks.map((link) => (
                <li key={link.createdAt}>{t("actions.accessLink", { created: link.createdAt, expires: link.expiresAt, count: link.useCount })}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : request.type === "erasure" || request.type === "withdrawal" ? (
        <EraseForm type={request.type} />
      ) : request.type === "restriction" ? (
        restricted ? (
          <ButtonForm intent="lift" submitLabel={t("actions.lift")}>
            <p>{t("actions.restrictedNow")}</p>
          </ButtonForm>
        ) : (
          <ButtonForm intent="restrict" submitLabel={t("actions.restrict")}>
            <p>{t("actions.restrictHint")}</p>
          </ButtonForm>
        )
      ) : (
        <RectifyForms request={request} />
      )}
    </section>
  );
}

function RectifyForms({ request }: { request: LoadedRequest }) {
  const { t } = useTranslation(NAMESPACE);
  const records = request.holdings?.records ?? [];
  if (records.length === 0) return <p>{t("holdings.none")}</p>;
  return (
    <div className="action-forms">
      {records.map((record) => {
        const recordKey = `${record.kind}-${record.id}`;
        return (
          <RectifyForm key={recordKey} record={record} recordKey={recordKey} />
        );
      })}
      <p className="hint">{t("actions.rectifyHint")}</p>
    </div>
  );
}

function RectifyForm({ record, recordKey }: { record: NonNullable<LoadedRequest["holdings"]>["records"][number]; recordKey: string }) {
  const { t } = useTranslation(NAMESPACE);
  const [form, fields] = useIntentForm("rectify", requestActionSchemas.rectify, {
    recordKey,
    defaultValue: { email: record.email, name: record.name ?? "", company: record.company ?? "", job_title: record.jobTitle ?? "" },
  });
  return (
    <IntentForm
      form={form}
      intent="rectify"
      errorFields={[fields.email, fields.name, fields.company, fields.job_title]}
      submitLabel={t("actions.rectify")}
      hidden={{ kind: record.kind, recordId: String(record.id) }}
    >
      <h3>{t(`holdings.kinds.${record.kind}`, { id: record.id })}</h3>
      <TextField namespace={NAMESPACE} field={fields.email} label={t("actions.rectifyEmail")} type="email" autoComplete="off" />
      <TextField namespace={NAMESPACE} field={fields.name} label={t("actions.rectifyName")} optional autoComplete="off" />
      <TextField namespace={NAMESPACE} field={fields.company} label={t("actions.rectifyCompany")} optional autoComplete="off" />
      <TextField namespace={NAMESPACE} field={fields.job_title} label={t("actions.rectifyJobTitle")} optional autoComplete="off" />
    </IntentForm>
  );
}

function ProcessorsSection({ request }: { request: LoadedRequest }) {
  const { t } = useTranslation(NAMESPACE);
  return (
    <section className="card stack" aria-labelledby="processors-title">
      <h2 id="processors-title">{t("processors.title")}</h2>
      <p>{t("processors.lead")}</p>
      <ul className="stack" data-testid="processors">
        {request.processors.map((processor) => (
          <li key={processor.integration} className="stack">
            <p>
              <strong>{t(`processors.${processor.integration}.name`)}</strong> · {t("processors.transfers", { count: processor.transfers })}
            </p>
            <p>{t(`processors.${processor.integration}.action`)}</p>
            {processor.doneAt ? (
              <p className="status-badge status-badge--completed">{t("processors.done", { date: processor.doneAt })}</p>
            ) : (
              <ButtonForm intent="processorDone" submitLabel={t("processors.markDone")} hidden={{ integration: processor.integration }} />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function HandlingSection({ request }: { request: LoadedRequest }) {
  const { t } = useTranslation(NAMESPACE);
  const { staffOptions } = useLoaderData<typeof loader>();
  return (
    <section className="card stack" aria-labelledby="handling-title">
      <h2 id="handling-title">{t("handling.title")}</h2>
      <div className="action-forms">
        <AssignForm assigned={request.assignedStaffId} options={staffOptions} />
        {request.status === "open" ? (
          <ButtonForm intent="start" submitLabel={t("handling.start")}>
            <p>{t("handling.startHint")}</p>
          </ButtonForm>
        ) : null}
      </div>
    </section>
  );
}

function AssignForm({ assigned, options }: { assigned: number | null; options: Array<{ id: number; displayName: string }> }) {
  const { t } = useTranslation(NAMESPACE);
  const [form, fields] = useIntentForm("assign", requestActionSchemas.assign, { defaultValue: { assignee: assigned === null ? "" : String(assigned) } });
  return (
    <IntentForm form={form} intent="assign" errorFields={[fields.assignee]} submitLabel={t("handling.assign")} secondary>
      <SelectField
        namespace={NAMESPACE}
        field={fields.assignee}
        label={t("handling.assignee")}
        choices={[{ value: "", label: t("register.unassigned") }, ...options.map((member) => ({ value: String(member.id), label: member.displayName }))]}
      />
    </IntentForm>
  );
}

function NotesSection({ request }: { request: LoadedRequest }) {
  const { t } = useTranslation(NAMESPACE);
  return (
    <section className="card stack" aria-labelledby="notes-title">
      <h2 id="notes-title">{t("notes.title")}</h2>
      {request.notes.length === 0 ? (
        <p>{request.workingDataPurged ? t("notes.purged") : t("notes.empty")}</p>
      ) : (
        <ol className="stack">
          {request.notes.map((note) => (
            <li key={note.id}>
              <p className="muted">
                {note.createdAt} · {note.staffName ?? t("notes.unknownStaff")}
              </p>
              <p>{note.note}</p>
            </li>
          ))}
        </ol>
      )}
      {request.workingDataPurged ? null : (
        <NoteForm />
      )}
    </section>
  );
}

function CloseSection({ request }: { request: LoadedRequest }) {
  const { t } = useTranslation(NAMESPACE);
  const { mailOn } = useLoaderData<typeof loader>();
  return (
    <section className="card stack" aria-labelledby="close-title">
      <h2 id="close-title">{t("close.title")}</h2>
      <p>{mailOn && request.email ? t("close.mailed") : t("close.notMailed")}</p>
      <CloseForm currentStatus={request.status} />
    </section>
  );
}

function ClosedSection({ request }: { request: LoadedRequest }) {
  const { t } = useTranslation(NAMESPACE);
  return (
    <section className="card stack" aria-labelledby="closed-title">
      <h2 id="closed-title">{t("close.closedTitle")}</h2>
      <p>
        {t(`outcomes.${request.outcome ?? "fulfilled"}`)} · {request.closedAt}
      </p>
      {request.outcomeNote ? <p>{request.outcomeNote}</p> : null}
    </section>
  );
}

function HistorySection({ request }: { request: LoadedRequest }) {
  const { t } = useTranslation([NAMESPACE, "admin-audit"]);
  return (
    <section className="card stack" aria-labelledby="history-title">
      <h2 id="history-title">{t("history.title")}</h2>
      <ol>
        {request.history.map((row) => (
          <li key={row.id}>
            {row.createdAt} · {t(`actions.${row.action}`, { ns: "admin-audit" })} · {row.staffName ?? t("history.subject")}
          </li>
        ))}
      </ol>
    </section>
  );
}

function ExtendForm() {
  const { t } = useTranslation(NAMESPACE);
  const [form, fields] = useIntentForm("extend", requestActionSchemas.extend);
  return (
    <IntentForm form={form} intent="extend" errorFields={[fields.days, fields.reason]} submitLabel={t("clock.extend")}>
      <TextField namespace={NAMESPACE} field={fields.days} label={t("clock.extendDays")} hint={t("clock.extendDaysHint", { max: MAX_EXTENSION_DAYS })} />
      <TextField namespace={NAMESPACE} field={fields.reason} label={t("clock.extendReason")} hint={t("clock.extendReasonHint")} multiline />
    </IntentForm>
  );
}

function EraseForm({ type }: { type: "erasure" | "withdrawal" }) {
  const { t } = useTranslation(NAMESPACE);
  const [form, fields] = useIntentForm("erase", requestActionSchemas.erase);
  return (
    <IntentForm form={form} intent="erase" errorFields={[fields.confirm]} submitLabel={t(`actions.erase.${type}`)}>
      <p>{t(`actions.eraseHint.${type}`)}</p>
      <RadioGroupField
        namespace={NAMESPACE}
        field={fields.confirm}
        label={t("actions.eraseConfirmLegend")}
        choices={[{ value: "yes", label: t(`actions.eraseConfirm.${type}`) }]}
      />
    </IntentForm>
  );
}

function NoteForm() {
  const { t } = useTranslation(NAMESPACE);
  const [form, fields] = useIntentForm("note", requestActionSchemas.note);
  return (
    <IntentForm form={form} intent="note" errorFields={[fields.note]} submitLabel={t("notes.add")}>
      <TextField namespace={NAMESPACE} field={fields.note} label={t("notes.label")} hint={t("notes.hint")} multiline />
    </IntentForm>
  );
}

function CloseForm({ currentStatus }: { currentStatus: string }) {
  const { t } = useTranslation(NAMESPACE);
  const [form, fields] = useIntentForm("close", requestActionSchemas.close);
  return (
    <IntentForm form={form} intent="close" errorFields={[fields.outcome, fields.note]} submitLabel={t("close.submit")} hidden={{ currentStatus }}>
      <RadioGroupField
        namespace={NAMESPACE}
        field={fields.outcome}
        label={t("close.outcome")}
        choices={requestOutcomeValues.map((value) => ({ value, label: t(`outcomes.${value}`) }))}
      />
      <TextField namespace={NAMESPACE} field={fields.note} label={t("close.note")} hint={t("close.noteHint")} multiline optional />
    </IntentForm>
  );
}
