import { getFormProps } from "@conform-to/react";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { staffRoles } from "#db/schema";
import { formatStaffDateTime } from "~/admin/staff-dates.server";
import { accountChangeSchema, addAccount, changeAccount } from "~/admin/staff-admin.server";
import { DataTable } from "~/components/admin/data-table";
import { SelectField } from "~/components/choice-fields";
import { CsrfField, StaffErrorSummary } from "~/components/admin/staff-form";
import { TextField, useSchemaForm } from "~/components/forms";
import { getFixedT } from "~/i18n.server";
import { listStaffAccounts, newStaffAccountSchema } from "~/staff/accounts.server";
import { rejectSubmission } from "~/staff/form-reply.server";
import { requireStaff, requireStaffForm } from "~/staff/require-staff.server";
import { getEnv } from "~/utils/env.server";
import { parseFormSubmission } from "~/validation/form";

const NAMESPACE = "admin-audit";
/** The status message after a change: one per form intent. */
const notices = ["create", "disable", "enable", "changeRole", "resetTwoFactor"] as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { staff } = await requireStaff(request, context, "staff");
  const notice = new URL(request.url).searchParams.get("notice");
  return {
    title: getFixedT(staff.locale, NAMESPACE)("staff.title"),
    inactiveDays: getEnv().STAFF_INACTIVE_DAYS,
    selfId: staff.id,
    notice: notices.find((known) => known === notice) ?? null,
    accounts: listStaffAccounts().map((account) => ({
      ...account,
      createdAt: formatStaffDateTime(account.createdAt, staff.locale),
      lastLoginAt: account.lastLoginAt ? formatStaffDateTime(account.lastLoginAt, staff.locale) : null,
      disabledAt: account.disabledAt ? formatStaffDateTime(account.disabledAt, staff.locale) : null,
    })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request, context }: ActionFunctionArgs) {
  const { staff, ipHash, formData } = await requireStaffForm(request, context, "staff");
  const actor = { staffId: staff.id, ipHash };
  if (formData.get("intent") === "create") {
    const submission = parseFormSubmission(formData, newStaffAccountSchema);
    if (submission.status !== "success") return rejectSubmission(submission, { hideFields: ["password"] });
    const created = await addAccount(submission.value, actor);
    if (created.status === "taken") {
      return rejectSubmission(submission, {
        status: 409,
        formErrors: ["staff.create.taken"],
        hideFields: ["password"],
      });
    }
    return redirect("/admin/staff?notice=create");
  }
  const submission = parseFormSubmission(formData, accountChangeSchema);
  if (submission.status !== "success") return rejectSubmission(submission);
  const outcome = await changeAccount(staff, submission.value, actor);
  if (outcome === "self_lockout")
    return rejectSubmission(submission, { status: 409, formErrors: ["staff.selfLockout"] });
  if (outcome === "not_found") return rejectSubmission(submission, { status: 404, formErrors: ["staff.notFound"] });
  return redirect(`/admin/staff?notice=${submission.value.intent}`);
}

export default function StaffAccounts() {
  const { accounts, selfId, notice, inactiveDays } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation(NAMESPACE);
  const createResult = lastResult?.initialValue?.intent === "create" ? lastResult : undefined;
  const changeErrors =
    lastResult && !createResult ? Object.values(lastResult.error ?? {}).flatMap((keys) => keys ?? []) : [];
  return (
    <section className="stack" aria-labelledby="staff-title">
      <h1 id="staff-title">{t("staff.title")}</h1>
      <p className="lead">{t("staff.lead", { count: inactiveDays })}</p>
      {notice ? (
        <p role="status" className="notice">
          {t(`staff.notices.${notice}`)}
        </p>
      ) : null}
      <StaffErrorSummary id="staff-change-errors" namespace={NAMESPACE} formErrors={changeErrors} fields={[]} />
      <p>
        <Link to="/admin/exports?dataset=access_review">{t("staff.export")}</Link>
      </p>
      <DataTable
        caption={t("staff.caption", { count: accounts.length })}
        headers={[
          t("staff.columns.email"),
          t("staff.columns.name"),
          t("staff.columns.role"),
          t("staff.columns.twoFactor"),
          t("staff.columns.created"),
          t("staff.columns.lastLogin"),
          t("staff.columns.disabled"),
          t("staff.columns.actions"),
        ]}
      >
        {accounts.map((account) => (
          <tr key={account.id}>
            <td>{account.email}</td>
            <td>{account.displayName}</td>
            <td>{t(`roles.${account.role}`, { ns: "admin" })}</td>
            <td>{account.twoFactorEnabled ? t("staff.twoFactorOn") : t("staff.twoFactorOff")}</td>
            <td>{account.createdAt}</td>
            <td>{account.lastLoginAt ?? t("none")}</td>
            <td>
              {account.disabledAt
                ? t(`staff.disabledReasons.${account.disabledReason ?? "manual"}`, { date: account.disabledAt })
                : t("none")}
            </td>
            <td className="stack">
              <AccountActions account={account} self={account.id === selfId} />
            </td>
          </tr>
        ))}
      </DataTable>
      <CreateAccount lastResult={createResult} />
    </section>
  );
}

function AccountActions({
  account,
  self,
}: {
  account: { id: number; email: string; role: string; disabledAt: string | null; twoFactorEnabled: boolean };
  self: boolean;
}) {
  const { t } = useTranslation(NAMESPACE);
  const id = String(account.id);
  return (
    <>
      <Form method="post" className="inline-form">
        <CsrfField />
        <input type="hidden" name="accountId" value={id} />
        <label htmlFor={`role-${id}`}>{t("staff.roleFor", { email: account.email })}</label>
        <select id={`role-${id}`} name="role" defaultValue={account.role} disabled={self}>
          {staffRoles.map((role) => (
            <option key={role} value={role}>
              {t(`roles.${role}`, { ns: "admin" })}
            </option>
          ))}
        </select>
        <button type="submit" name="intent" value="changeRole" className="link-button" disabled={self}>
          {t("staff.changeRole")}
        </button>
      </Form>
      <Form method="post" className="inline-form">
        <CsrfField />
        <input type="hidden" name="accountId" value={id} />
        {account.disabledAt ? (
          <button
            type="submit"
            name="intent"
            value="enable"
            className="link-button"
            aria-label={t("staff.enableFor", { email: account.email })}
          >
            {t("staff.enable")}
          </button>
        ) : self ? null : (
          <button
            type="submit"
            name="intent"
            value="disable"
            className="link-button"
            aria-label={t("staff.disableFor", { email: account.email })}
          >
            {t("staff.disable")}
          </button>
        )}
        {account.twoFactorEnabled ? (
          <button
            type="submit"
            name="intent"
            value="resetTwoFactor"
            className="link-button"
            aria-label={t("staff.resetFor", { email: account.email })}
          >
            {t("staff.resetTwoFactor")}
          </button>
        ) : null}
      </Form>
    </>
  );
}

function CreateAccount({ lastResult }: { lastResult: Parameters<typeof useSchemaForm>[0]["lastResult"] }) {
  const { t } = useTranslation(NAMESPACE);
  const [form, fields] = useSchemaForm({
    id: "staff-create",
    schema: newStaffAccountSchema,
    lastResult,
    shouldValidate: "onSubmit",
  });
  return (
    <Form method="post" {...getFormProps(form)} className="card stack" aria-labelledby="staff-create-title">
      <h2 id="staff-create-title">{t("staff.create.title")}</h2>
      <StaffErrorSummary
        id="staff-create-errors"
        namespace="admin"
        formErrors={form.errors?.map((key) => `${NAMESPACE}:${key}`)}
        fields={[fields.email, fields.displayName, fields.role, fields.password]}
      />
      <CsrfField />
      <input type="hidden" name="intent" value="create" />
      <TextField
        namespace="admin"
        field={fields.email}
        label={t("staff.create.email")}
        type="email"
        autoComplete="off"
      />
      <TextField namespace="admin" field={fields.displayName} label={t("staff.create.name")} autoComplete="off" />
      <SelectField
        namespace="admin"
        field={fields.role}
        label={t("staff.create.role")}
        choices={staffRoles.map((role) => ({ value: role, label: t(`roles.${role}`, { ns: "admin" }) }))}
      />
      <TextField
        namespace="admin"
        field={fields.password}
        label={t("staff.create.password")}
        hint={t("staff.create.passwordHint")}
        type="password"
        autoComplete="new-password"
      />
      <button type="submit" className="button">
        {t("staff.create.submit")}
      </button>
    </Form>
  );
}
