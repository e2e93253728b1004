import { getFormProps, type FormMetadata } from "@conform-to/react";
import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { DataTable } from "./data-table";
import { Pagination } from "./pagination";
import { StaffErrorSummary } from "./staff-form";

/**
 * A staff page's GET filter form: its problems at the top (a list's page
 * number has no field of its own, so its problem is the form's), the fields
 * in a row with the apply button, and the links below it (clear, export).
 */
export function ListFilterForm({
  form,
  label,
  namespace,
  errorFields,
  pageErrors = [],
  applyLabel,
  links,
  children,
}: {
  form: FormMetadata<Record<string, unknown>, string[]>;
  label: string;
  namespace: string;
  errorFields: Array<{ id: string; errors?: string[] }>;
  pageErrors?: string[];
  applyLabel: string;
  links?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Form method="get" {...getFormProps(form)} className="card stack" aria-label={label}>
      <StaffErrorSummary
        id={`${form.id}-errors`}
        namespace={namespace}
        formErrors={[...(form.errors ?? []), ...pageErrors]}
        fields={errorFields}
      />
      <div className="filters">
        {children}
        <button type="submit" className="button">
          {applyLabel}
        </button>
      </div>
      {links ? <p>{links}</p> : null}
    </Form>
  );
}

/**
 * A staff list's results: how many match, the export link when there is
 * something to export, the table or the empty message, and the pages.
 * `children` are the table's rows.
 */
export function ListResults({
  namespace,
  total,
  count,
  rows,
  empty,
  exportLink,
  caption,
  headers,
  page,
  pageCount,
  children,
}: {
  namespace: string;
  total: number;
  /** The sentence saying how many match (and in which order). */
  count: ReactNode;
  /** Rows on this page. */
  rows: number;
  empty: string;
  exportLink?: { to: string; label: string } | null;
  caption: string;
  headers: string[];
  page: number;
  pageCount: number;
  children: ReactNode;
}) {
  return (
    <>
      <p>{count}</p>
      {exportLink && total > 0 ? (
        <p>
          <Link to={exportLink.to}>{exportLink.label}</Link>
        </p>
      ) : null}
      {rows === 0 ? (
        <p>{empty}</p>
      ) : (
        <DataTable caption={caption} headers={headers}>
          {children}
        </DataTable>
      )}
      <Pagination namespace={namespace} page={page} pageCount={pageCount} />
    </>
  );
}
