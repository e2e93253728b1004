// The one place that decides what a cohort report may show. Every figure of
// the staff report, the HR link, the PDF, the CSV and the respondent's own
// cohort benchmark comes out of `publishFigures`, never from raw aggregates.

/** No cohort may set k below this: a group of two can always single each other out. */
export const MIN_K = 3;
export const DEFAULT_K = 5;

/** Score histogram bins before merging: 0–9, 10–19, … 90–100. */
export const SCORE_BIN_WIDTH = 10;
const BIN_COUNT = 10;

/** What SQL aggregated over a group's completed sessions (app/cohorts/aggregates.server.ts). */
export type RawAggregates = {
  completed: number;
  /** People per score bin, index = floor(score / 10), the 100s in the last bin. */
  scoreBins: number[];
  /** People per level, in the questionnaire's level order. */
  levelCounts: Array<{ level: string; count: number }>;
  partAverages: Record<string, number>;
  itemAverages: Record<string, number>;
  /** Every completed score, ascending, for the quantiles; empty where no band is taken from the group. Never published. */
  sortedScores: number[];
};

export type Quantiles = { p50: number; p75: number; p90: number };

/** A range of adjacent bins or levels shown as one, holding at least k people. */
export type MergedGroup<Key> = { from: Key; to: Key; count: number };

export type PublishedFigures =
  | { available: false; completed: number; k: number }
  | {
      available: true;
      completed: number;
      k: number;
      /** Score ranges, e.g. 40–59, each with at least k people. */
      histogram: Array<MergedGroup<number> & { toScore: number }>;
      levels: Array<MergedGroup<string>>;
      /** Whole points (0–100). */
      partAverages: Record<string, number>;
      /** One decimal on the 1–5 scale. */
      itemAverages: Record<string, number>;
      /** The scores at the 50th, 75th and 90th percentile, whole points, for respondents' bands only; none for the comparison group. */
      quantiles: Quantiles | null;
    };

/**
 * Merges adjacent groups, in order, until each holds at least k people; what
 * is left over at the end joins the last group. Callers guarantee the total
 * is at least k, so at least one group comes out.
 */
export function mergeSmallGroups<Key>(groups: Array<{ key: Key; count: number }>, k: number): Array<MergedGroup<Key>> {
  const merged: Array<MergedGroup<Key>> = [];
  let open: MergedGroup<Key> | undefined;
  for (const group of groups) {
    open = open ? { ...open, to: group.key, count: open.count + group.count } : { from: group.key, to: group.key, count: group.count };
    if (open.count >= k) {
      merged.push(open);
      open = undefined;
    }
  }
  if (open) {
    const last = merged.pop();
    merged.push(last ? { from: last.from, to: open.to, count: last.count + open.count } : open);
  }
  return merged;
}

/** The value at a fraction of an ascending list (nearest rank). */
function quantile(sorted: number[], fraction: number) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}

const roundTo = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;

function mapValues(record: Record<string, number>, round: (value: number) => number) {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, round(value)]));
}

/**
 * What may be published about a group: nothing but its size below k; above
 * it, bins and levels merged so that none holds fewer than k people, and
 * averages rounded. Zero-person bins are merged too: "nobody scored 80–89"
 * next to a small neighbour would narrow down who is in it.
 */
export function publishFigures(raw: RawAggregates, k: number): PublishedFigures {
  if (raw.completed < k) return { available: false, completed: raw.completed, k };
  const bins = Array.from({ length: BIN_COUNT }, (_, index) => ({ key: index * SCORE_BIN_WIDTH, count: raw.scoreBins[index] ?? 0 }));
  return {
    available: true,
    completed: raw.completed,
    k,
    histogram: mergeSmallGroups(bins, k).map((group) => ({
      ...group,
      toScore: group.to === (BIN_COUNT - 1) * SCORE_BIN_WIDTH ? 100 : group.to + SCORE_BIN_WIDTH - 1,
    })),
    levels: mergeSmallGroups(raw.levelCounts.map(({ level, count }) => ({ key: level, count })), k),
    partAverages: mapValues(raw.partAverages, (value) => Math.round(value)),
    itemAverages: mapValues(raw.itemAverages, (value) => roundTo(value, 1)),
    quantiles:
      raw.sortedScores.length === 0
        ? null
        : {
            p50: Math.round(quantile(raw.sortedScores, 0.5)),
            p75: Math.round(quantile(raw.sortedScores, 0.75)),
            p90: Math.round(quantile(raw.sortedScores, 0.9)),
          },
  };
}

/** What a snapshot publishes: the cohort's figures and, for comparison, everyone else's, both under the cohort's k. */
export type SnapshotFigures = { cohort: PublishedFigures; others: PublishedFigures };

export type ScoreBand = "top10" | "top25" | "top50" | "bottom50";

/** Where a score stands in a published group: a band, never a rank. */
export function scoreBand(score: number, quantiles: Quantiles): ScoreBand {
  if (score >= quantiles.p90) return "top10";
  if (score >= quantiles.p75) return "top25";
  if (score >= quantiles.p50) return "top50";
  return "bottom50";
}
