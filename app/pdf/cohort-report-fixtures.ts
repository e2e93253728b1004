import type { CohortReport } from "~/cohorts/report-view";
import type { CohortReportPdfInput } from "./cohort-report-document";

const averages = (value: number) => ({ P1: value, P2: value - 6, P3: value - 11 });
const items = (value: number) =>
  Object.fromEntries(["P1", "P2", "P3"].flatMap((part, partIndex) => [1, 2, 3, 4].map((item) => [`${part}-${item}`, Math.round((value - partIndex * 0.3 + item * 0.1) * 10) / 10])));

/** A published cohort report as the snapshot job leaves it: merged ranges, rounded averages, everyone else beside it. */
export const publishedCohortReport: CohortReport = {
  name: "유에스랩 영업본부",
  k: 5,
  period: { opensOn: "2026년 12월 1일", closesOn: "2026년 12월 31일" },
  targetSize: 40,
  started: 31,
  completed: 27,
  completionRate: 27 / 40,
  published: {
    status: "published",
    takenAt: "2026. 12. 14. 09:30",
    n: 25,
    figures: {
      cohort: {
        available: true,
        completed: 25,
        k: 5,
        histogram: [
          { from: 0, to: 30, count: 5, toScore: 39 },
          { from: 40, to: 50, count: 9, toScore: 59 },
          { from: 60, to: 60, count: 6, toScore: 69 },
          { from: 70, to: 90, count: 5, toScore: 100 },
        ],
        levels: [
          { from: "beginner", to: "beginner", count: 5 },
          { from: "explorer", to: "explorer", count: 9 },
          { from: "practitioner", to: "leader", count: 11 },
        ],
        partAverages: averages(61),
        itemAverages: items(3.4),
        quantiles: null,
      },
      others: {
        available: true,
        completed: 412,
        k: 5,
        histogram: [
          { from: 0, to: 10, count: 17, toScore: 19 },
          { from: 20, to: 20, count: 38, toScore: 29 },
          { from: 30, to: 30, count: 61, toScore: 39 },
          { from: 40, to: 40, count: 79, toScore: 49 },
          { from: 50, to: 50, count: 88, toScore: 59 },
          { from: 60, to: 60, count: 64, toScore: 69 },
          { from: 70, to: 70, count: 41, toScore: 79 },
          { from: 80, to: 90, count: 24, toScore: 100 },
        ],
        levels: [
          { from: "beginner", to: "beginner", count: 116 },
          { from: "explorer", to: "explorer", count: 167 },
          { from: "practitioner", to: "practitioner", count: 105 },
          { from: "leader", to: "leader", count: 24 },
        ],
        partAverages: averages(55),
        itemAverages: items(3.1),
        quantiles: null,
      },
    },
  },
};

export const cohortReportPdfInput: CohortReportPdfInput = {
  locale: "ko",
  generatedAt: new Date("2026-12-14T01:00:00Z"),
  issuedAt: "2026. 12. 14. 10:00",
  report: publishedCohortReport,
};
