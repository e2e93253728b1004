import { getFormProps } from "@conform-to/react";
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import {
  requireSessionRoute,
  resumePart,
  saveAnswers,
  type AssessmentSession,
} from "~/assessment/assessment.server";
import {
  itemNumber,
  partByNumber,
  partCount,
  scaleValues,
} from "~/assessment/questionnaire";
import { partAnswersSchema } from "~/assessment/schemas";
import { ErrorSummary, useSchemaForm } from "~/components/forms";
import { LikertQuestion, questionField } from "~/components/likert-question";
import { getFixedT } from "~/i18n.server";
import { enforceRateLimit } from "~/limits/rate-limit.server";
import { invariantResponse, readFormData } from "~/utils/http.server";
import { parseFormSubmission } from "~/validation/form";

function requirePart(params: { n?: string }) {
  const partNumber = Number(params.n);
  const part = /^\d+$/.test(params.n ?? "") ? partByNumber(partNumber) : undefined;
  invariantResponse(part, 404);
  return { part, partNumber };
}

/**
 * A part opens only when the parts before it are answered; a finished
 * session has only its result left.
 */
function redirectIfOutOfOrder(base: string, session: AssessmentSession, partNumber: number) {
  const resume = resumePart(session);
  if (resume === null) throw redirect(`${base}/result`);
  if (partNumber > resume) throw redirect(`${base}/part/${resume}`);
}

export function loader({ params }: LoaderFunctionArgs) {
  const { language, session, basePath: base } = requireSessionRoute(params);
  const { part, partNumber } = requirePart(params);
  redirectIfOutOfOrder(base, session, partNumber);
  const t = getFixedT(language, "assessment");
  return {
    title: t("part.metaTitle", {
      part: getFixedT(language, "questionnaire")(`parts.${part.id}.title`),
      current: partNumber,
      total: partCount,
    }),
    basePath: base,
    part,
    partNumber,
    savedAnswers: Object.fromEntries(
      part.items
        .filter((id) => session.answers[id] !== undefined)
        .map((id) => [id, String(session.answers[id])]),
    ),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request, params, context }: ActionFunctionArgs) {
  await enforceRateLimit("answer", request, context);
  const { session, basePath: base } = requireSessionRoute(params);
  const { part, partNumber } = requirePart(params);
  redirectIfOutOfOrder(base, session, partNumber);
  const submission = parseFormSubmission(await readFormData(request), partAnswersSchema(part));
  if (submission.status !== "success") {
    return data(submission.reply(), { status: 400 });
  }
  const saved = await saveAnswers(session.id, submission.value as Record<string, number>);
  const next = resumePart(saved);
  return redirect(next === null ? `${base}/result` : `${base}/part/${next}`);
}

export default function PartPage() {
  const { basePath, part, partNumber, savedAnswers } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation("assessment");
  const { t: tq } = useTranslation("questionnaire");
  const [form, fields] = useSchemaForm({
    id: `part-${part.id}`,
    schema: partAnswersSchema(part),
    lastResult,
    defaultValue: savedAnswers,
    shouldValidate: "onSubmit",
  });
  const questionFields = part.items.map((id) => questionField(fields[id]));
  const summaryItems = [
    ...(form.errors ?? []).map((key) => ({ fieldId: form.id, message: t(key) })),
    ...questionFields.flatMap((field) =>
      (field.errors ?? []).map((key) => ({
        fieldId: field.id,
        message: t("part.unanswered", { number: itemNumber(field.name), message: t(key) }),
      })),
    ),
  ];

  return (
    <section aria-labelledby="part-title">
      <p className="progress">
        <span>{t("part.progress", { current: partNumber, total: partCount })}</span>
        {/* The bar fills to the part on screen, as the text beside it counts. */}
        <progress max={partCount} value={partNumber} aria-hidden="true" />
      </p>
      <h1 id="part-title">{tq(`parts.${part.id}.title`)}</h1>
      <p className="lead">{tq(`parts.${part.id}.description`)}</p>
      <Form method="post" {...getFormProps(form)} className="stack">
        <ErrorSummary
          id="part-errors"
          title={t("part.errorSummary")}
          items={summaryItems}
        />
        {questionFields.map((field) => (
          <LikertQuestion
            key={field.key ?? field.name}
            field={field}
            number={itemNumber(field.name)}
            text={tq(`items.${field.name}`)}
            values={scaleValues}
          />
        ))}
        <div className="actions">
          {partNumber > 1 ? (
            <Link to={`${basePath}/part/${partNumber - 1}`} className="button button--secondary">
              {t("part.back")}
            </Link>
          ) : null}{" "}
          <button type="submit" className="button">
            {partNumber === partCount ? t("part.finish") : t("part.next")}
          </button>
        </div>
      </Form>
    </section>
  );
}
