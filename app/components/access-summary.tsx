import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { AccessSummary } from "~/privacy/access-bundle.server";

const NAMESPACE = "privacy-requests";

function Section({ id, title, empty, children }: { id: string; title: string; empty: boolean; children: ReactNode }) {
  const { t } = useTranslation(NAMESPACE);
  return (
    <section className="card stack" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {empty ? <p>{t("access.none")}</p> : children}
    </section>
  );
}

function Field({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/**
 * The subject's data in words, on the access page and in the file staff
 * hand over: the same records as the JSON, without field names to decode.
 */
export function AccessSummaryView({ summary }: { summary: AccessSummary }) {
  const { t } = useTranslation([NAMESPACE, "privacy", "questionnaire", "integrations"]);
  const none = t("access.notGiven");
  return (
    <div className="stack">
      <p className="muted">{t("access.generatedAt", { date: summary.generatedAt })}</p>
      {summary.restrictedSince ? <p role="note">{t("access.restrictedSince", { date: summary.restrictedSince })}</p> : null}

      <Section id="access-records" title={t("access.recordsTitle")} empty={summary.records.length === 0}>
        {summary.records.map((record) => (
          <dl key={`${record.kind}-${record.receiptId}`} className="detail-list" data-testid="access-record">
            <Field label={t("access.recordKind")} value={t(`access.kinds.${record.kind}`)} />
            <Field label={t("access.createdAt")} value={record.createdAt} />
            <Field label={t("access.email")} value={record.email} />
            <Field label={t("access.name")} value={record.name ?? none} />
            <Field label={t("access.company")} value={record.company ?? none} />
            <Field label={t("access.jobTitle")} value={record.jobTitle ?? none} />
            {record.message === null ? null : <Field label={t("access.message")} value={record.message} />}
            {record.status === null ? null : <Field label={t("access.status")} value={t(`access.consultationStatuses.${record.status}`)} />}
            <Field label={t("access.receiptId")} value={record.receiptId} />
          </dl>
        ))}
      </Section>

      <Section id="access-consents" title={t("access.consentsTitle")} empty={summary.consents.length === 0}>
        {summary.consents.map((consent) => (
          <dl key={consent.receiptId} className="detail-list">
            <Field label={t("access.receiptId")} value={consent.receiptId} />
            <Field label={t("access.purpose")} value={t(`purposes.${consent.purpose}`, { ns: "privacy" })} />
            <Field label={t("access.givenAt")} value={consent.givenAt} />
            <Field label={t("access.version")} value={consent.version} />
            {consent.notice ? <Field label={t("access.notice")} value={consent.notice} /> : null}
          </dl>
        ))}
      </Section>

      <Section id="access-assessments" title={t("access.assessmentsTitle")} empty={summary.assessments.length === 0}>
        {summary.assessments.map((assessment) => (
          <dl key={assessment.number} className="detail-list">
            <Field label={t("access.startedAt")} value={assessment.startedAt} />
            <Field label={t("access.completedAt")} value={assessment.completedAt ?? t("access.unfinished")} />
            <Field label={t("access.nickname")} value={assessment.nickname ?? none} />
            <Field label={t("access.answers")} value={t("access.answerCount", { count: assessment.answers })} />
            {assessment.totalScore === null ? null : (
              <Field
                label={t("access.score")}
                value={t("access.scoreValue", {
                  score: assessment.totalScore,
                  level: assessment.level ? t(`levels.${assessment.level}.name`, { ns: "questionnaire" }) : "",
                })}
              />
            )}
            <Field label={t("access.reports")} value={t("access.reportCount", { count: assessment.reports })} />
            <Field label={t("access.shares")} value={t("access.shareCount", { count: assessment.shares })} />
          </dl>
        ))}
      </Section>

      <Section id="access-mails" title={t("access.mailsTitle")} empty={summary.mails.length === 0}>
        <ul>
          {summary.mails.map((mail, index) => (
            <li key={index}>
              {t("access.mailLine", {
                date: mail.queuedAt,
                kind: t(`access.mailKinds.${mail.kind}`, { defaultValue: mail.kind }),
                status: t(`access.mailStatuses.${mail.status}`),
              })}
            </li>
          ))}
        </ul>
      </Section>

      <Section id="access-recipients" title={t("access.recipientsTitle")} empty={summary.recipients.length === 0}>
        <ul>
          {summary.recipients.map((recipient) => (
            <li key={recipient.third_party}>
              {t("access.recipientLine", {
                name: t(`${recipient.third_party}.name`, { ns: "integrations" }),
                provider: t(`${recipient.third_party}.provider`, { ns: "integrations" }),
                count: recipient.transfers,
                categories: recipient.data_categories.map((category) => t(`dataCategories.${category}`, { ns: "privacy" })).join(", "),
              })}
            </li>
          ))}
        </ul>
      </Section>

      <Section id="access-requests" title={t("access.requestsTitle")} empty={summary.requests.length === 0}>
        <ul>
          {summary.requests.map((request) => (
            <li key={request.reference}>
              {t("access.requestLine", {
                reference: request.reference,
                type: t(`types.${request.type}.label`),
                date: request.receivedAt,
                status: t(`access.requestStatuses.${request.status}`),
              })}
            </li>
          ))}
        </ul>
      </Section>
    </div>
  );
}
