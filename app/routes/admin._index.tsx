import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { dashboardFigures, otherAttributionKey, type CountByKey } from "~/admin/dashboard.server";
import { dateRangeSchema, rangeBounds, zonedDateString } from "~/admin/date-range";
import { parseListParams } from "~/admin/list-params";
import { deadlineSummary } from "~/privacy/requests.server";
import { BarChart, FunnelChart, Histogram } from "~/components/admin/charts";
import { DeadlineAlert } from "~/components/admin/deadline";
import { DateField } from "~/components/admin/date-field";
import { ListFilterForm } from "~/components/admin/list-page";
import { useSchemaForm } from "~/components/forms";
import { getFixedT } from "~/i18n.server";
import { requireStaff } from "~/staff/require-staff.server";
import { roleAllows } from "~/staff/roles";
import { getEnv } from "~/utils/env.server";

const NAMESPACE = "admin-dashboard";

/** Every role may open the dashboard: it holds aggregates only, never a person. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { staff } = await requireStaff(request, context, "dashboard");
  // Only members who handle privacy requests see their deadlines: the counts lead to the register.
  const deadlines = roleAllows(staff.role, "privacy") ? deadlineSummary() : null;
  const { searchParams } = new URL(request.url);
  const submission = parseListParams(searchParams, dateRangeSchema);
  const timeZone = getEnv().STAFF_TIME_ZONE;
  const view = {
    title: getFixedT(staff.locale, NAMESPACE)("title"),
    timeZone,
    filterValues: Object.fromEntries(searchParams),
    deadlines,
  };
  if (submission.status !== "success") {
    return data({ ...view, filterResult: submission.reply(), figures: null, range: null }, { status: 400 });
  }
  const { start, end } = rangeBounds(submission.value, timeZone);
  return {
    ...view,
    filterResult: null,
    figures: dashboardFigures({ start, end }),
    // The days shown back to the member: `end` is the start of the day after the last one.
    range: { from: zonedDateString(start, timeZone), to: zonedDateString(new Date(end.getTime() - 1), timeZone) },
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

/** A bar chart of the dashboard: the page's locale and empty-state message, the rest per figure. */
function CountChart(props: Omit<Parameters<typeof BarChart>[0], "locale" | "emptyMessage">) {
  const { t, i18n } = useTranslation(NAMESPACE);
  return <BarChart {...props} locale={i18n.language} emptyMessage={t("empty")} />;
}

export default function Dashboard() {
  const { figures, range, filterResult, filterValues, timeZone, deadlines } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation([NAMESPACE, "questionnaire"]);
  const locale = i18n.language;
  const [form, fields] = useSchemaForm({
    id: "dashboard-range",
    schema: dateRangeSchema,
    lastResult: filterResult,
    defaultValue: range ?? filterValues,
    shouldValidate: "onSubmit",
  });
  const attributionLabel = (entry: CountByKey) =>
    entry.key === null ? t("none") : entry.key === otherAttributionKey ? t("other") : entry.key;
  return (
    <section className="stack" aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">{t("title")}</h1>
      <p className="lead">{t("lead")}</p>
      {deadlines ? <DeadlineAlert overdue={deadlines.overdue} dueSoon={deadlines.dueSoon} paused={deadlines.paused} /> : null}
      <ListFilterForm
        form={form}
        label={t("range.label")}
        namespace={NAMESPACE}
        errorFields={[fields.from, fields.to]}
        applyLabel={t("range.apply")}
      >
        <DateField
          namespace={NAMESPACE}
          field={fields.from}
          label={t("range.from")}
          hint={t("range.hint", { timeZone })}
        />
        <DateField
          namespace={NAMESPACE}
          field={fields.to}
          label={t("range.to")}
          hint={t("range.hint", { timeZone })}
        />
      </ListFilterForm>
      {figures && range ? (
        <>
          <p>{t("range.showing", range)}</p>
          <FunnelChart
            id="funnel"
            title={t("funnel.title")}
            locale={locale}
            stepHeader={t("funnel.step")}
            countHeader={t("count")}
            rateFromPreviousHeader={t("funnel.fromPrevious")}
            rateFromFirstHeader={t("funnel.fromFirst")}
            emptyMessage={t("empty")}
            steps={figures.funnel.map(({ step, count }) => ({ label: t(`funnel.steps.${step}`), count }))}
          />
          <Histogram
            id="scores"
            title={t("scores.title")}
            locale={locale}
            binHeader={t("scores.bin")}
            countHeader={t("count")}
            emptyMessage={t("empty")}
            bins={figures.scoreHistogram}
          />
          <CountChart
            id="part-averages"
            title={t("parts.title")}
            labelHeader={t("parts.part")}
            valueHeader={t("parts.average")}
            items={Object.entries(figures.partAverages).map(([part, average]) => ({
              label: t(`parts.${part}.title`, { ns: "questionnaire" }),
              value: average ?? 0,
            }))}
          />
          <CountChart
            id="levels"
            title={t("levels.title")}
            labelHeader={t("levels.level")}
            valueHeader={t("count")}
            items={figures.levelCounts.map(({ level, count }) => ({
              label: t(`levels.${level}.name`, { ns: "questionnaire" }),
              value: count,
            }))}
          />
          <CountChart
            id="lead-sources"
            title={t("sources.title")}
            labelHeader={t("sources.source")}
            valueHeader={t("count")}
            items={figures.leadsBySource.map((entry) => ({ label: attributionLabel(entry), value: entry.count }))}
          />
          <CountChart
            id="lead-campaigns"
            title={t("campaigns.title")}
            labelHeader={t("campaigns.campaign")}
            valueHeader={t("count")}
            items={figures.leadsByCampaign.map((entry) => ({ label: attributionLabel(entry), value: entry.count }))}
          />
          <CountChart
            id="devices"
            title={t("devices.title")}
            labelHeader={t("devices.device")}
            valueHeader={t("count")}
            items={figures.deviceTypes.map(({ deviceType, count }) => ({
              label: t(`devices.types.${deviceType}`, { defaultValue: deviceType }),
              value: count,
            }))}
          />
        </>
      ) : null}
    </section>
  );
}
