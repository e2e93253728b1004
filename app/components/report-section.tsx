import { useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { StoredReport } from "~/reports/report-content";

type ReportView = Pick<StoredReport, "source" | "model" | "content">;

function ReportBody({ report }: { report: ReportView }) {
  const { t } = useTranslation("report");
  const { t: tq } = useTranslation("questionnaire");
  const { content } = report;
  return (
    <>
      {report.source === "llm" ? (
        <p className="notice" data-testid="report-source">
          <strong>{t("llmBadge")}</strong> {t("llmExplanation", { model: report.model })}
        </p>
      ) : (
        <p className="muted" data-testid="report-source">
          {t("fallbackExplanation")}
        </p>
      )}
      <section aria-labelledby="report-summary-title">
        <h3 id="report-summary-title">{t("summaryTitle")}</h3>
        {content.summary.split(/\n{2,}/).map((paragraph) => (
          <p key={paragraph}>{paragraph}</p>
        ))}
      </section>
      {content.parts.map((part) => (
        <section key={part.partId} aria-labelledby={`report-part-${part.partId}`}>
          <h3 id={`report-part-${part.partId}`}>{tq(`parts.${part.partId}.title`)}</h3>
          <h4>{t("strengths")}</h4>
          <p>{part.strengths}</p>
          <h4>{t("gaps")}</h4>
          <p>{part.gaps}</p>
        </section>
      ))}
      <section aria-labelledby="report-steps-title">
        <h3 id="report-steps-title">{t("nextStepsTitle")}</h3>
        <ol>
          {content.nextSteps.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
      </section>
    </>
  );
}

/**
 * The report on the result page, named for who writes it: an AI report only
 * when Gemini wrote it (or is about to try), the standard report otherwise,
 * from the first view. Without JavaScript a plain form asks the server to
 * write it and redirects back here; with JavaScript it is requested once on
 * arrival while a live region says that it is being written.
 */
export function ReportSection({
  report,
  upcomingSource,
  action,
}: {
  report: ReportView | null;
  /** Who would write the report if it were requested now. */
  upcomingSource: ReportView["source"];
  action: string;
}) {
  const { t } = useTranslation("report");
  const fetcher = useFetcher<{ source: ReportView["source"] }>();
  const [hydrated, setHydrated] = useState(false);
  const requested = useRef(false);
  const { submit } = fetcher;

  useEffect(() => {
    setHydrated(true);
    if (report || requested.current) return;
    requested.current = true;
    submit({ respond: "inline" }, { method: "post", action });
  }, [report, action, submit]);

  const source = report?.source ?? upcomingSource;
  const pending = fetcher.state !== "idle";
  const status = pending ? t("pending") : report && fetcher.data ? t("ready") : "";

  return (
    <section id="report" className="card stack" aria-labelledby="report-title" aria-busy={pending}>
      <header>
        <h2 id="report-title">{t(`title.${source}`)}</h2>
        <div role="status" aria-live="polite" className={pending ? "notice" : undefined}>
          {status}
        </div>
      </header>
      {report ? (
        <ReportBody report={report} />
      ) : pending ? null : (
        <fetcher.Form method="post" action={action} className="stack">
          <p>{t("intro")}</p>
          <input type="hidden" name="respond" value={hydrated ? "inline" : "redirect"} />
          <p>
            {/* Named, without a value: lynx sends a form without a named control as a GET,
                and labels a button that has a value by the value. */}
            <button type="submit" name="generate" className="button">
              {t("generate")}
            </button>
          </p>
          <p className="hint">{t(`generateHint.${source}`)}</p>
        </fetcher.Form>
      )}
    </section>
  );
}
