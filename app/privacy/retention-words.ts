import type { RetentionRule } from "./retention-schedule";

type Translate = (key: string, options: Record<string, unknown> & { ns: string }) => string;

/**
 * A retention rule's period counted from its start, in the `retention`
 * namespace's words ("상담 완료 후 1년", "30 days after sending or failing"):
 * the privacy page and the record of processing say it the same way.
 */
export function retentionPeriodText(rule: RetentionRule, t: Translate) {
  return t("periodFrom", {
    ns: "retention",
    period: t(`period.${rule.period.unit}`, { ns: "retention", count: rule.period.amount }),
    start: t(`rules.${rule.id}.start`, { ns: "retention" }),
  });
}
