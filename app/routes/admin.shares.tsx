import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { parseListParams } from "~/admin/list-params";
import {
  shareListSchema,
  shareRevokeNotices,
  shareRevokeSchema,
  shareStatusFilters,
  type ShareRevokeNotice,
} from "~/admin/share-schemas";
import { listShares, revokeShareAsStaff } from "~/admin/shares.server";
import { formatStaffDateTime } from "~/admin/staff-dates.server";
import { SelectField } from "~/components/choice-fields";
import { ListFilterForm, ListResults } from "~/components/admin/list-page";
import { CsrfField, StaffErrorSummary } from "~/components/admin/staff-form";
import { useSchemaForm } from "~/components/forms";
import { getFixedT } from "~/i18n.server";
import { rejectSubmission } from "~/staff/form-reply.server";
import { requireStaff, requireStaffForm } from "~/staff/require-staff.server";
import { parseFormSubmission } from "~/validation/form";

const NAMESPACE = "admin-consultations";

function noticeOf(searchParams: URLSearchParams) {
  const notice = searchParams.get("notice");
  return shareRevokeNotices.find((known) => known === notice) ?? null;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { staff } = await requireStaff(request, context, "contacts");
  const { searchParams } = new URL(request.url);
  const submission = parseListParams(searchParams, shareListSchema);
  const view = {
    title: getFixedT(staff.locale, NAMESPACE)("shares.title"),
    notice: noticeOf(searchParams),
    filterValues: Object.fromEntries(searchParams),
  };
  if (submission.status !== "success") {
    return data({ ...view, filterResult: submission.reply(), list: null }, { status: 400 });
  }
  const { page, ...filters } = submission.value;
  const list = listShares(filters, page);
  const when = (date: Date) => formatStaffDateTime(date, staff.locale);
  return {
    ...view,
    filterResult: null,
    list: {
      ...list,
      shares: list.shares.map(({ createdAt, revokedAt, ...share }) => ({
        ...share,
        createdAt: when(createdAt),
        revokedAt: revokedAt && when(revokedAt),
      })),
    },
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

/** Back to the list as it was filtered, saying what the revocation did. */
function backToList(request: Request, notice: ShareRevokeNotice) {
  const { pathname, searchParams } = new URL(request.url);
  searchParams.set("notice", notice);
  return redirect(`${pathname}?${searchParams}`);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { staff, ipHash, formData } = await requireStaffForm(request, context, "contacts");
  const submission = parseFormSubmission(formData, shareRevokeSchema);
  if (submission.status !== "success") return rejectSubmission(submission);
  switch (await revokeShareAsStaff({ staffId: staff.id, ipHash }, submission.value.shareId)) {
    case "not_found":
      return rejectSubmission(submission, { status: 404, formErrors: ["shares.notFound"] });
    case "already_revoked":
      return backToList(request, "alreadyRevoked");
    case "revoked":
      return backToList(request, "revoked");
  }
}

/** A refused revoke (an unknown or malformed link): the buttons hold no typed values, so only the message is shown. */
function RevokeErrors() {
  const lastResult = useActionData<typeof action>();
  const messages = Object.values(lastResult?.error ?? {}).flatMap((keys) => keys ?? []);
  return <StaffErrorSummary id="share-revoke-errors" namespace={NAMESPACE} formErrors={messages} fields={[]} />;
}

export default function ShareList() {
  const { list, filterResult, filterValues, notice } = useLoaderData<typeof loader>();
  const { t } = useTranslation(NAMESPACE);
  const { t: tq } = useTranslation("questionnaire");
  const location = useLocation();
  const [form, fields] = useSchemaForm({
    id: "share-filters",
    schema: shareListSchema,
    lastResult: filterResult,
    defaultValue: filterValues,
    shouldValidate: "onSubmit",
  });
  // Each revoke posts to this URL, so the redirect comes back to the same filter and page.
  const revokeAction = `${location.pathname}${location.search}`;
  return (
    <section className="stack" aria-labelledby="shares-title">
      <h1 id="shares-title">{t("shares.title")}</h1>
      <p className="lead">{t("shares.lead")}</p>
      {notice ? <p role="status">{t(`shares.notices.${notice}`)}</p> : null}
      <RevokeErrors />

      <ListFilterForm
        form={form}
        label={t("shares.filtersLabel")}
        namespace={NAMESPACE}
        errorFields={[fields.status]}
        pageErrors={fields.page.errors}
        applyLabel={t("shares.apply")}
      >
        <SelectField
          namespace={NAMESPACE}
          field={fields.status}
          label={t("shares.status")}
          choices={shareStatusFilters.map((status) => ({ value: status, label: t(`shares.statuses.${status}`) }))}
        />
      </ListFilterForm>

      {list ? (
        <ListResults
          namespace={NAMESPACE}
          total={list.total}
          count={t("shares.count", { count: list.total })}
          rows={list.shares.length}
          empty={t("shares.empty")}
          caption={t("shares.caption", { page: list.page, pages: list.pageCount })}
          headers={[
            t("shares.columns.created"),
            t("shares.columns.nickname"),
            t("shares.columns.score"),
            t("shares.columns.level"),
            t("shares.columns.status"),
            t("shares.columns.url"),
            t("shares.columns.action"),
          ]}
          page={list.page}
          pageCount={list.pageCount}
        >
          {list.shares.map((share) => (
            <tr key={share.id}>
              <td>{share.createdAt}</td>
              <td>{share.nickname ?? <span className="muted">{t("shares.noNickname")}</span>}</td>
              <td>{share.total}</td>
              <td>{tq(`levels.${share.level}.name`)}</td>
              <td>
                {share.revokedAt ? (
                  <span className="status-badge status-badge--failed">
                    {t("shares.revokedAt", { date: share.revokedAt })}
                  </span>
                ) : (
                  <span className="status-badge status-badge--sent">{t("shares.active")}</span>
                )}
              </td>
              <td>{share.revokedAt ? share.url : <a href={share.url}>{share.url}</a>}</td>
              <td>
                {share.revokedAt ? null : (
                  <Form method="post" action={revokeAction} className="inline-form">
                    <CsrfField />
                    <input type="hidden" name="shareId" value={share.id} />
                    <button
                      type="submit"
                      className="button button--secondary"
                      aria-label={t("shares.revokeLabel", { date: share.createdAt })}
                    >
                      {t("shares.revoke")}
                    </button>
                  </Form>
                )}
              </td>
            </tr>
          ))}
        </ListResults>
      ) : null}
    </section>
  );
}
