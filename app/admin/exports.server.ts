import crypto from "node:crypto";
import type { TFunction } from "i18next";
import type { ZodTypeAny } from "zod";
import { appendAudit } from "~/audit/audit-log.server";
import {
  auditExportBatches,
  auditFilterSchema,
  countAuditEntries,
  type AuditFilters,
  type AuditListRow,
} from "~/audit/audit-queries.server";
import { processingActivityIds, ropaExportColumns } from "~/privacy/ropa.server";
import { listStaffAccounts, type StaffAccountSummary } from "~/staff/accounts.server";
import type { StaffPermission } from "~/staff/roles";
import { emailBlindIndex, hmacHex } from "~/utils/crypto.server";
import { z } from "~/validation/zod";
import {
  consultationExportBatches,
  consultationExportColumns,
  consultationFilterSchema,
  countConsultations,
  type ConsultationFilters,
} from "./consultations.server";
import { exportFormats } from "./export-schemas";
import {
  exportFileName,
  exportResponseHeaders,
  exportStream,
  type ExportColumn,
  type ExportFormat,
} from "./export-stream.server";
import { leadFilterSchema, type LeadFilters } from "./lead-schemas";
import { countLeadsForExport, leadExportBatches, leadExportColumns } from "./leads.server";
import { parseListParams } from "./list-params";
import {
  countRequestsForExport,
  requestExportBatches,
  requestExportColumns,
  requestFilterSchema,
  type RequestFilters,
} from "./privacy-requests.server";

// Staff exports of contact data. Each dataset says which filters it takes
// (the same as its list's), how many rows and which columns an export has,
// and reads its rows in batches; the page and the download share this table.

type FilterSummary = Array<{ label: string; value: string }>;

type ExportDataset<Schema extends ZodTypeAny, Row> = {
  permission: StaffPermission;
  /** The namespace of the filter schema's error messages. */
  namespace: string;
  /** The list the export is made from, for the way back. */
  listPath: string;
  filterSchema: Schema;
  count(filters: z.output<Schema>): number;
  batches(filters: z.output<Schema>): Iterator<Row[]>;
  columns(t: TFunction): ExportColumn<Row>[];
  /** The filters in words, for the page that asks for a purpose. */
  describe(filters: z.output<Schema>, t: TFunction): FilterSummary;
  /** The filters as the audit row keeps them: never a decrypted or typed-in address. */
  auditFilters(filters: z.output<Schema>): Record<string, unknown>;
};

/** A filter left blank is absent from the audit row, which holds JSON values only. */
function setFilters(filters: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined));
}

/**
 * Binds a dataset to the filters of a request. What comes out looks alike for
 * every dataset, so the routes need not know which one they serve.
 */
function exportDataset<Schema extends ZodTypeAny, Row>(dataset: ExportDataset<Schema, Row>) {
  return {
    permission: dataset.permission,
    namespace: dataset.namespace,
    listPath: dataset.listPath,
    withFilters(params: URLSearchParams) {
      const submission = parseListParams(params, dataset.filterSchema);
      if (submission.status !== "success") return { status: "invalid" as const, errors: submission.error ?? {} };
      const filters: z.output<Schema> = submission.value;
      return {
        status: "valid" as const,
        rows: () => dataset.count(filters),
        describe: (t: TFunction) => dataset.describe(filters, t),
        auditFilters: setFilters(dataset.auditFilters(filters)),
        stream: (format: ExportFormat, t: TFunction) =>
          exportStream({ format, columns: dataset.columns(t), batches: dataset.batches(filters) }),
      };
    },
  };
}

const optional = (label: string, value: string | undefined): FilterSummary =>
  value === undefined ? [] : [{ label, value }];

const dateRangeSummary = (range: { from?: string; to?: string }, t: TFunction) => [
  ...optional(t("filters.from"), range.from),
  ...optional(t("filters.to"), range.to),
];

const leadsDataset = exportDataset({
  permission: "export",
  namespace: "admin-leads",
  listPath: "/admin/leads",
  filterSchema: leadFilterSchema,
  count: countLeadsForExport,
  batches: (filters: LeadFilters) => leadExportBatches(filters),
  columns: leadExportColumns,
  describe: (filters: LeadFilters, t) => [
    { label: t("filters.kind"), value: t(`kindFilters.${filters.kind}`) },
    ...dateRangeSummary(filters, t),
    ...optional(t("filters.consentVersion"), filters.consentVersion),
    ...optional(t("filters.utmSource"), filters.utmSource),
    ...optional(t("filters.utmCampaign"), filters.utmCampaign),
    ...optional(t("filters.email"), filters.email),
  ],
  auditFilters: ({ email, ...filters }: LeadFilters) => ({
    ...filters,
    ...(email === undefined ? {} : { emailBlindIndex: emailBlindIndex(email) }),
  }),
});

const consultationsDataset = exportDataset({
  permission: "export",
  namespace: "admin-consultations",
  listPath: "/admin/consultations",
  filterSchema: consultationFilterSchema,
  count: (filters: ConsultationFilters) => countConsultations(filters),
  batches: (filters: ConsultationFilters) => consultationExportBatches(filters),
  columns: consultationExportColumns,
  describe: (filters: ConsultationFilters, t) => [
    {
      label: t("exports.consultationFilters.status"),
      value:
        filters.status === "all"
          ? t("exports.consultationFilters.statusAll")
          : t(`statuses.${filters.status}`, { ns: "admin-consultations" }),
    },
    ...dateRangeSummary(filters, t),
    ...optional(
      t("exports.consultationFilters.olderThanDays"),
      filters.olderThanDays === undefined
        ? undefined
        : t("exports.consultationFilters.days", { count: filters.olderThanDays }),
    ),
  ],
  auditFilters: (filters: ConsultationFilters) => filters,
});

/** The audit log as staff read it: actors by name, details as JSON (ids, counts, filters; never personal data). */
const auditDataset = exportDataset({
  permission: "staff",
  namespace: "admin-audit",
  listPath: "/admin/audit",
  filterSchema: auditFilterSchema,
  count: (filters: AuditFilters) => countAuditEntries(filters),
  batches: (filters: AuditFilters) => auditExportBatches(filters),
  columns: (t): ExportColumn<AuditListRow>[] => [
    { key: "id", header: t("audit.columns.id", { ns: "admin-audit" }), value: (row) => row.id },
    { key: "created_at", header: t("audit.columns.time", { ns: "admin-audit" }), value: (row) => row.createdAt },
    { key: "staff_id", header: t("audit.columns.staffId", { ns: "admin-audit" }), value: (row) => row.staffId },
    { key: "staff_email", header: t("audit.columns.actor", { ns: "admin-audit" }), value: (row) => row.staffEmail },
    { key: "action", header: t("audit.columns.action", { ns: "admin-audit" }), value: (row) => row.action },
    { key: "target_type", header: t("audit.columns.targetType", { ns: "admin-audit" }), value: (row) => row.targetType },
    { key: "target_id", header: t("audit.columns.targetId", { ns: "admin-audit" }), value: (row) => row.targetId },
    { key: "details", header: t("audit.columns.details", { ns: "admin-audit" }), value: (row) => JSON.stringify(row.details) },
    { key: "ip_hash", header: t("audit.columns.ipHash", { ns: "admin-audit" }), value: (row) => row.ipHash },
    { key: "hash", header: t("audit.columns.hash", { ns: "admin-audit" }), value: (row) => row.hash },
  ],
  describe: (filters: AuditFilters, t) => [
    ...dateRangeSummary(filters, t),
    ...optional(t("audit.filters.action", { ns: "admin-audit" }), filters.action),
    ...optional(t("audit.filters.staffId", { ns: "admin-audit" }), filters.staffId?.toString()),
  ],
  auditFilters: ({ page: _page, ...filters }: AuditFilters) => filters,
});

/** The quarterly access review: every account with its role, second factor, last login and state. */
const accessReviewDataset = exportDataset({
  permission: "staff",
  namespace: "admin-audit",
  listPath: "/admin/staff",
  filterSchema: z.object({}),
  count: () => listStaffAccounts().length,
  // A few dozen rows at most: one batch.
  batches: () => [listStaffAccounts()][Symbol.iterator](),
  columns: (t): ExportColumn<StaffAccountSummary>[] => [
    { key: "id", header: t("staff.columns.id", { ns: "admin-audit" }), value: (row) => row.id },
    { key: "email", header: t("staff.columns.email", { ns: "admin-audit" }), value: (row) => row.email },
    { key: "name", header: t("staff.columns.name", { ns: "admin-audit" }), value: (row) => row.displayName },
    { key: "role", header: t("staff.columns.role", { ns: "admin-audit" }), value: (row) => row.role },
    { key: "two_factor", header: t("staff.columns.twoFactor", { ns: "admin-audit" }), value: (row) => row.twoFactorEnabled },
    { key: "created_at", header: t("staff.columns.created", { ns: "admin-audit" }), value: (row) => row.createdAt },
    { key: "last_login_at", header: t("staff.columns.lastLogin", { ns: "admin-audit" }), value: (row) => row.lastLoginAt },
    { key: "disabled_at", header: t("staff.columns.disabled", { ns: "admin-audit" }), value: (row) => row.disabledAt },
    { key: "disabled_reason", header: t("staff.columns.disabledReason", { ns: "admin-audit" }), value: (row) => row.disabledReason },
  ],
  describe: () => [],
  auditFilters: () => ({}),
});

/** The record of processing activities, one row per activity, for the supervisory authority or an audit. */
const ropaDataset = exportDataset({
  permission: "privacy",
  namespace: "admin-ropa",
  listPath: "/admin/ropa",
  filterSchema: z.object({}),
  count: () => processingActivityIds.length,
  batches: () => [[...processingActivityIds]][Symbol.iterator](),
  columns: ropaExportColumns,
  describe: () => [],
  auditFilters: () => ({}),
});

/** The register of data-subject requests for auditors: dates, outcomes and deadlines, never addresses or requests' text. */
const privacyRequestsDataset = exportDataset({
  permission: "privacy",
  namespace: "admin-privacy",
  listPath: "/admin/privacy-requests",
  filterSchema: requestFilterSchema,
  count: (filters: RequestFilters) => countRequestsForExport(filters),
  batches: (filters: RequestFilters) => requestExportBatches(filters),
  columns: requestExportColumns,
  describe: (filters: RequestFilters, t) => [
    { label: t("register.filters.status", { ns: "admin-privacy" }), value: t(`register.statusFilters.${filters.status}`, { ns: "admin-privacy" }) },
    { label: t("register.filters.type", { ns: "admin-privacy" }), value: t(`register.typeFilters.${filters.type}`, { ns: "admin-privacy" }) },
    { label: t("register.filters.deadline", { ns: "admin-privacy" }), value: t(`register.deadlineFilters.${filters.deadline}`, { ns: "admin-privacy" }) },
  ],
  auditFilters: (filters: RequestFilters) => filters,
});

export const exportDatasets = {
  leads: leadsDataset,
  consultations: consultationsDataset,
  audit: auditDataset,
  access_review: accessReviewDataset,
  ropa: ropaDataset,
  privacy_requests: privacyRequestsDataset,
};
export type ExportDatasetName = keyof typeof exportDatasets;
const datasetNames = Object.keys(exportDatasets) as [ExportDatasetName, ...ExportDatasetName[]];

function isDatasetName(name: string | null): name is ExportDatasetName {
  return name !== null && Object.hasOwn(exportDatasets, name);
}

/** A list's filters as a URL carries them: everything but the dataset, and nothing left blank. */
function filterParams(searchParams: URLSearchParams) {
  return Object.fromEntries([...searchParams].filter(([name, value]) => name !== "dataset" && value !== ""));
}

/** The export page for a list's current filters; the page number is the list's alone. */
export function exportPageHref(dataset: ExportDatasetName, listSearch: URLSearchParams) {
  const params = new URLSearchParams({ dataset });
  for (const [name, value] of Object.entries(filterParams(listSearch))) {
    if (name !== "page") params.set(name, value);
  }
  return `/admin/exports?${params}`;
}

/** What the export page's URL asks for: which dataset, under which filters. */
export function exportRequestOf(searchParams: URLSearchParams) {
  const name = searchParams.get("dataset");
  if (!isDatasetName(name)) return { status: "unknown_dataset" as const };
  const dataset = exportDatasets[name];
  const filters = filterParams(searchParams);
  const selection = dataset.withFilters(new URLSearchParams(filters));
  if (selection.status === "invalid") {
    return { status: "invalid_filters" as const, name, dataset, filters, errors: selection.errors };
  }
  return { status: "ready" as const, name, dataset, filters, selection };
}
export type ReadyExport = Extract<ReturnType<typeof exportRequestOf>, { status: "ready" }>;

// A grant is what the download link carries: stateless, signed for one staff
// session and short-lived, so a copied link opens nothing for anyone else
// and nothing for long.

const GRANT_LIFETIME_MS = 5 * 60_000;
const GRANT_PURPOSE = "staff-export-grant";

const grantSchema = z.object({
  dataset: z.enum(datasetNames),
  format: z.enum(exportFormats),
  filters: z.record(z.string()),
  exp: z.number(),
});
export type ExportGrant = z.output<typeof grantSchema>;

function grantSignature(sessionIdHash: string, payload: string) {
  return hmacHex(GRANT_PURPOSE, sessionIdHash + payload);
}

export function signExportGrant(
  grant: Omit<ExportGrant, "exp">,
  sessionIdHash: string,
  now = new Date(),
): string {
  const payload = Buffer.from(JSON.stringify({ ...grant, exp: now.getTime() + GRANT_LIFETIME_MS })).toString(
    "base64url",
  );
  return `${payload}.${grantSignature(sessionIdHash, payload)}`;
}

export type GrantCheck = { status: "valid"; grant: ExportGrant } | { status: "invalid" } | { status: "expired" };

/** Tampered, foreign (another session's) and malformed grants are one refusal; an expired one is told apart. */
export function checkExportGrant(value: string | null, sessionIdHash: string, now = new Date()): GrantCheck {
  const [payload, signature, ...rest] = (value ?? "").split(".");
  if (!payload || !signature || rest.length > 0) return { status: "invalid" };
  const expected = Buffer.from(grantSignature(sessionIdHash, payload));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return { status: "invalid" };
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return { status: "invalid" };
  }
  const parsed = grantSchema.safeParse(decoded);
  if (!parsed.success) return { status: "invalid" };
  if (parsed.data.exp <= now.getTime()) return { status: "expired" };
  return { status: "valid", grant: parsed.data };
}

type StaffActor = { staffId: number; ipHash: string };

/**
 * Records who exported what and why, with the row count at this moment, then
 * hands out the grant for the download. The purpose is the member's own
 * words, kept as they typed them.
 */
export async function createExport(
  actor: StaffActor & { sessionIdHash: string },
  ready: ReadyExport,
  { format, purpose }: { format: ExportFormat; purpose: string },
  now = new Date(),
) {
  await appendAudit({
    staffId: actor.staffId,
    action: "export.created",
    details: { dataset: ready.name, format, purpose, filters: ready.selection.auditFilters, rows: ready.selection.rows() },
    ipHash: actor.ipHash,
  });
  return signExportGrant({ dataset: ready.name, format, filters: ready.filters }, actor.sessionIdHash, now);
}

/** The file a valid grant opens, streamed; undefined when its filters no longer parse. */
export function exportDownload(grant: ExportGrant, t: TFunction, now = new Date()) {
  const selection = exportDatasets[grant.dataset].withFilters(new URLSearchParams(grant.filters));
  if (selection.status !== "valid") return undefined;
  return {
    body: selection.stream(grant.format, t),
    headers: exportResponseHeaders(exportFileName(grant.dataset, grant.format, now), grant.format),
  };
}
