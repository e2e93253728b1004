import { useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary } from "~/components/forms";
import type { loader as adminLayoutLoader } from "~/routes/admin";

/** The session's CSRF token as a hidden field: every staff form carries it. */
export function CsrfField({ token }: { token?: string | null }) {
  const layoutToken = useRouteLoaderData<typeof adminLayoutLoader>("routes/admin")?.csrfToken;
  const value = token ?? layoutToken;
  return value ? <input type="hidden" name="csrf" value={value} /> : null;
}

/**
 * The problems of a staff form at its top: the form-level message (wrong
 * credentials, a throttled login) and each field's, linked to the field.
 */
export function StaffErrorSummary({
  id,
  formErrors,
  fields,
  namespace = "admin",
}: {
  id: string;
  formErrors?: string[];
  fields: Array<{ id: string; errors?: string[] }>;
  namespace?: string;
}) {
  const { t } = useTranslation(namespace);
  const items = [
    ...(formErrors ?? []).map((key) => ({ fieldId: fields[0]?.id ?? id, message: t(key) })),
    ...fields.flatMap((field) => (field.errors ?? []).map((key) => ({ fieldId: field.id, message: t(key) }))),
  ];
  return <ErrorSummary id={id} items={items} />;
}
