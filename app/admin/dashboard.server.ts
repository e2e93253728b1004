import type Database from "better-sqlite3";
import { parts, questionnaire, type LevelId } from "~/assessment/questionnaire";
import { getDb } from "~/utils/db.server";

// Every figure is one aggregate statement over a created_at range, so the
// dashboard costs the same index range read whatever the table's size. The
// statements are plain SQL so their query plans can be checked as written
// (dashboard.server.test.ts runs EXPLAIN QUERY PLAN on each); tables are named
// in full, never aliased, so each plan line names its table.

export const funnelSteps = ["started", "part1", "part2", "result", "report", "lead", "consultation"] as const;
export type FunnelStep = (typeof funnelSteps)[number];

const HISTOGRAM_BIN_WIDTH = 10;
const HISTOGRAM_BIN_COUNT = 10;

/** How many UTM sources or campaigns are listed by name; the rest are summed under `otherAttributionKey`. */
export const TOP_ATTRIBUTIONS = 10;
export const otherAttributionKey = "__other__";

function sqlText(value: string) {
  return `'${value.replaceAll("'", "''")}'`;
}

const inRange = "created_at >= @start AND created_at < @end";

// The unary plus keeps status off the planner's list of indexable terms: the
// (status, total_score) index would read every completed session there ever
// was, where the created_at index reads only the range.
const completedInRange = `${inRange} AND +status = 'completed'`;

function sessionHas(table: string) {
  return `EXISTS (SELECT 1 FROM ${table} WHERE ${table}.session_id = uslab_assessment_sessions.id)`;
}

/** levelForScore as SQL: the last band in the data's order whose minimum the score reaches, else the first band. */
function levelOfScoreSql() {
  const [lowest, ...higher] = questionnaire.levels;
  const bands = higher
    .reverse()
    .map((level) => `WHEN total_score >= ${Number(level.minScore)} THEN ${sqlText(level.id)}`);
  return `CASE ${bands.join(" ")} ELSE ${sqlText(lowest.id)} END`;
}

/**
 * Download leads and consultation requests together, grouped by a UTM field
 * of their meta: the top ones by name, then one summary row (is_other = 1)
 * for the rest, so a flood of distinct campaign names stays one row.
 */
function attributionSql(metaField: "utmSource" | "utmCampaign") {
  const key = `json_extract(meta, ${sqlText(`$.${metaField}`)})`;
  return `WITH attributed AS (
  SELECT ${key} AS key FROM uslab_assessment_download_leads WHERE ${inRange}
  UNION ALL
  SELECT ${key} AS key FROM uslab_assessment_consultations WHERE ${inRange}
), grouped AS (
  SELECT key, count(*) AS requests FROM attributed GROUP BY key
), ranked AS (
  SELECT key, requests, row_number() OVER (ORDER BY requests DESC, key) AS rank FROM grouped
)
SELECT key, requests AS count, 0 AS is_other FROM ranked WHERE rank <= ${TOP_ATTRIBUTIONS}
UNION ALL
SELECT NULL, sum(requests), 1 FROM ranked WHERE rank > ${TOP_ATTRIBUTIONS} HAVING count(*) > 0
ORDER BY is_other, count DESC, key`;
}

export const dashboardStatementSql = {
  funnel: `SELECT
  count(*) AS started,
  count(*) FILTER (WHERE parts_completed >= 1) AS part1,
  count(*) FILTER (WHERE parts_completed >= 2) AS part2,
  count(*) FILTER (WHERE status = 'completed') AS result,
  count(*) FILTER (WHERE ${sessionHas("uslab_assessment_reports")}) AS report,
  count(*) FILTER (WHERE ${sessionHas("uslab_assessment_download_leads")}) AS lead,
  count(*) FILTER (WHERE ${sessionHas("uslab_assessment_consultations")}) AS consultation
FROM uslab_assessment_sessions
WHERE ${inRange}`,
  scoreHistogram: `SELECT min(total_score / ${HISTOGRAM_BIN_WIDTH}, ${HISTOGRAM_BIN_COUNT - 1}) AS bin, count(*) AS count
FROM uslab_assessment_sessions
WHERE ${completedInRange}
GROUP BY bin`,
  partAverages: `SELECT ${parts
    .map((part) => `round(avg(json_extract(part_scores, ${sqlText(`$."${part.id}"`)})), 1)`)
    .join(", ")}
FROM uslab_assessment_sessions
WHERE ${completedInRange}`,
  levelCounts: `SELECT ${levelOfScoreSql()} AS level, count(*) AS count
FROM uslab_assessment_sessions
WHERE ${completedInRange}
GROUP BY level`,
  leadsBySource: attributionSql("utmSource"),
  leadsByCampaign: attributionSql("utmCampaign"),
  deviceTypes: `SELECT device_type AS deviceType, count(*) AS count
FROM uslab_assessment_sessions
WHERE ${inRange}
GROUP BY device_type
ORDER BY count DESC, device_type`,
} satisfies Record<string, string>;

type StatementName = keyof typeof dashboardStatementSql;

// Prepared once per connection, which is once per process; a new connection
// (after closeDatabase) gets its own, since a statement belongs to the connection that prepared it.
let prepared: { client: Database.Database; statements: Record<StatementName, Database.Statement> } | undefined;

function statements() {
  const client = getDb().$client;
  if (prepared?.client !== client) {
    const entries = Object.entries(dashboardStatementSql).map(([name, sql]) => [name, client.prepare(sql)]);
    prepared = { client, statements: Object.fromEntries(entries) };
  }
  return prepared.statements;
}

export type CountByKey = { key: string | null; count: number };

export type DashboardFigures = {
  /** Sessions created in the range, by the furthest point each reached (a report, lead or request made later still counts). */
  funnel: { step: FunnelStep; count: number }[];
  /** Completed sessions by total score: [0, 10), [10, 20) … [90, 100], every bin present. */
  scoreHistogram: { from: number; to: number; count: number }[];
  /** Completed sessions' mean per part, to one decimal; null without any. */
  partAverages: Record<string, number | null>;
  /** Completed sessions per level, in the questionnaire's order, every level present. */
  levelCounts: { level: LevelId; count: number }[];
  /** Download leads and consultation requests created in the range; a null key means no UTM value. */
  leadsBySource: CountByKey[];
  leadsByCampaign: CountByKey[];
  /** Sessions created in the range by device type, most first. */
  deviceTypes: { deviceType: string; count: number }[];
};

function attributionCounts(statement: Database.Statement, range: { start: number; end: number }): CountByKey[] {
  const rows = statement.all(range) as { key: string | null; count: number; is_other: 0 | 1 }[];
  return rows.map((row) => ({ key: row.is_other ? otherAttributionKey : row.key, count: row.count }));
}

export function dashboardFigures({ start, end }: { start: Date; end: Date }): DashboardFigures {
  const statement = statements();
  const range = { start: start.getTime(), end: end.getTime() };

  const funnelRow = statement.funnel.get(range) as Record<FunnelStep, number>;

  const countsByBin = new Map(
    (statement.scoreHistogram.all(range) as { bin: number; count: number }[]).map((row) => [row.bin, row.count]),
  );
  const scoreHistogram = Array.from({ length: HISTOGRAM_BIN_COUNT }, (_, bin) => ({
    from: bin * HISTOGRAM_BIN_WIDTH,
    to: (bin + 1) * HISTOGRAM_BIN_WIDTH,
    count: countsByBin.get(bin) ?? 0,
  }));

  const averages = statement.partAverages.raw(true).get(range) as (number | null)[];

  const countsByLevel = new Map(
    (statement.levelCounts.all(range) as { level: LevelId; count: number }[]).map((row) => [row.level, row.count]),
  );

  return {
    funnel: funnelSteps.map((step) => ({ step, count: funnelRow[step] })),
    scoreHistogram,
    partAverages: Object.fromEntries(parts.map((part, index) => [part.id, averages[index]])),
    levelCounts: questionnaire.levels.map(({ id }) => ({ level: id, count: countsByLevel.get(id) ?? 0 })),
    leadsBySource: attributionCounts(statement.leadsBySource, range),
    leadsByCampaign: attributionCounts(statement.leadsByCampaign, range),
    deviceTypes: statement.deviceTypes.all(range) as { deviceType: string; count: number }[],
  };
}
