import type { TFunction } from "i18next";
import { parts } from "~/assessment/questionnaire";
import type { PublishedFigures, SnapshotFigures } from "./k-anonymity";

// A cohort's report as the staff page, the HR link, the PDF and the CSV show
// it: one serialisable value, built on the server from the published
// snapshot (report-view.server.ts), and one set of labelled rows built from
// it here, so the four renderings cannot disagree.

type AvailableFigures = Extract<PublishedFigures, { available: true }>;

/** What the latest snapshot lets the report show. */
export type PublishedState =
  | { status: "published"; takenAt: string; n: number; figures: { cohort: AvailableFigures; others: PublishedFigures } }
  /** Fewer than k completed: nothing but the count. */
  | { status: "below_k"; n: number }
  /** k or more completed, but no snapshot at the cohort's k yet (the scheduled job has not run, or k was raised): the next step publishes. */
  | { status: "pending"; n: number };

export type CohortReport = {
  name: string;
  k: number;
  /** The opening and closing days, formatted for the reader. */
  period: { opensOn: string; closesOn: string };
  targetSize: number | null;
  /** Live counts: how many started and finished reveal nobody's answers. */
  started: number;
  completed: number;
  /** Completed ÷ target size, or null without a target. */
  completionRate: number | null;
  published: PublishedState;
};

/** The published state from a snapshot, if any, at the cohort's current k. */
export function publishedState(
  snapshot: { takenAt: string; completed: number; figures: SnapshotFigures } | undefined,
  { k, completed }: { k: number; completed: number },
): PublishedState {
  const { figures } = snapshot ?? {};
  if (snapshot && figures?.cohort.available) {
    return { status: "published", takenAt: snapshot.takenAt, n: snapshot.completed, figures: { cohort: figures.cohort, others: figures.others } };
  }
  return completed < k ? { status: "below_k", n: completed } : { status: "pending", n: completed };
}

export type CountRow = { label: string; count: number };
export type ScoreRange = { from: number; to: number; count: number };
/** One figure of the cohort next to everyone else's; null where everyone else's is not published. */
export type ComparedRow = { label: string; cohort: number; others: number | null };

export type ReportSections = {
  histogram: { cohort: ScoreRange[]; others: ScoreRange[] | null };
  levels: { cohort: CountRow[]; others: CountRow[] | null };
  parts: ComparedRow[];
  items: Array<{ partId: string; label: string; rows: ComparedRow[] }>;
};

/** `t` is fixed to or loaded with the `cohorts` and `questionnaire` namespaces. */
export function scoreRangeLabel(range: { from: number; to: number }) {
  return `${range.from}–${range.to}`;
}

function histogramOf(figures: AvailableFigures): ScoreRange[] {
  return figures.histogram.map((group) => ({ from: group.from, to: group.toScore, count: group.count }));
}

function levelsOf(figures: AvailableFigures, t: TFunction): CountRow[] {
  const name = (level: string) => t(`questionnaire:levels.${level}.name`);
  return figures.levels.map((group) => ({
    label: group.from === group.to ? name(group.from) : t("cohorts:cohortReport.levelRange", { from: name(group.from), to: name(group.to) }),
    count: group.count,
  }));
}

/** The report's distributions and averages as labelled rows, everyone else's beside the cohort's. */
export function reportSections(figures: { cohort: AvailableFigures; others: PublishedFigures }, t: TFunction): ReportSections {
  const others = figures.others.available ? figures.others : null;
  return {
    histogram: { cohort: histogramOf(figures.cohort), others: others && histogramOf(others) },
    levels: { cohort: levelsOf(figures.cohort, t), others: others && levelsOf(others, t) },
    parts: parts.map((part) => ({
      label: t(`questionnaire:parts.${part.id}.title`),
      cohort: figures.cohort.partAverages[part.id],
      others: others?.partAverages[part.id] ?? null,
    })),
    items: parts.map((part) => ({
      partId: part.id,
      label: t(`questionnaire:parts.${part.id}.title`),
      rows: part.items.map((itemId) => ({
        label: t(`questionnaire:items.${itemId}`),
        cohort: figures.cohort.itemAverages[itemId],
        others: others?.itemAverages[itemId] ?? null,
      })),
    })),
  };
}
