import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary } from "~/components/forms";
import { getFixedT } from "~/i18n.server";
import { enforceRateLimit } from "~/limits/rate-limit.server";
import { confirmationSchema } from "~/privacy/request-schemas";
import { formatDateTime } from "~/utils/respondent-dates.server";
import { confirmVerification, findVerification } from "~/privacy/self-service.server";
import { httpError } from "~/utils/http-error.server";
import { readFormData } from "~/utils/http.server";
import { requireLanguage } from "~/utils/language.server";
import { privatePageMeta } from "~/utils/meta";
import { parseFormSubmission } from "~/validation/form";

const NAMESPACE = "privacy-requests";

/** GET only shows what the link would do: mail scanners open links, so nothing happens until the POST. */
export function loader({ params }: LoaderFunctionArgs) {
  const language = requireLanguage(params);
  const verification = findVerification(params.token ?? "");
  if (!verification) throw httpError(404, "link_invalid");
  const when = (date: Date | null) => date && formatDateTime(date, language);
  return {
    title: getFixedT(language, NAMESPACE)("verify.metaTitle"),
    verification:
      verification.status === "pending"
        ? { status: verification.status, type: verification.type, expiresAt: when(verification.expiresAt) }
        : {
            status: verification.status,
            type: verification.type,
            request: verification.request && {
              reference: verification.request.reference,
              receivedAt: when(verification.request.receivedAt),
              dueAt: when(verification.request.dueAt),
              closed: verification.request.closed,
            },
          },
  };
}

export const meta: MetaFunction<typeof loader> = privatePageMeta;

export async function action({ request, params, context }: ActionFunctionArgs) {
  await enforceRateLimit("privacy", request, context);
  const language = requireLanguage(params);
  const submission = parseFormSubmission(await readFormData(request), confirmationSchema);
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const confirmation = await confirmVerification(params.token ?? "");
  if (!confirmation) throw httpError(404, "link_invalid");
  // The page then shows the registered request; a reload shows it again instead of posting twice.
  return redirect(`/${language}/privacy/verify/${params.token}`);
}

export default function VerifyRequestPage() {
  const { verification } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation(NAMESPACE);
  const type = t(`types.${verification.type}.label`);
  if (verification.status === "pending") {
    const errors = (lastResult?.error?.confirm ?? []).map((key) => ({ fieldId: "confirm-button", message: t(key) }));
    return (
      <article className="stack" aria-labelledby="verify-title">
        <h1 id="verify-title">{t("verify.title")}</h1>
        <ErrorSummary id="verify-errors" items={errors} />
        <p>{t("verify.lead", { type })}</p>
        <p className="hint">{t("verify.expires", { date: verification.expiresAt })}</p>
        <Form method="post" className="card stack">
          <p>{t(`types.${verification.type}.consequence`)}</p>
          <p>
            <button type="submit" name="confirm" value="yes" className="button" id="confirm-button">
              {t("verify.submit")}
            </button>
          </p>
        </Form>
        <p>{t("verify.notYou")}</p>
      </article>
    );
  }
  const { request } = verification;
  return (
    <article className="stack" aria-labelledby="verify-title">
      <div className="success-box stack" role="status">
        <h1 id="verify-title">{request?.closed ? t("verify.doneTitle") : t("verify.registeredTitle")}</h1>
        <p>{request?.closed ? t(`types.${verification.type}.done`) : t("verify.registeredBody", { type })}</p>
      </div>
      {request ? (
        <section className="card receipt" aria-labelledby="request-receipt-title" data-testid="request-receipt">
          <h2 id="request-receipt-title">{t("receipt.title")}</h2>
          <dl>
            <div>
              <dt>{t("receipt.reference")}</dt>
              <dd data-testid="request-reference">{request.reference}</dd>
            </div>
            <div>
              <dt>{t("receipt.type")}</dt>
              <dd>{type}</dd>
            </div>
            <div>
              <dt>{t("receipt.receivedAt")}</dt>
              <dd>{request.receivedAt}</dd>
            </div>
            {request.closed ? null : (
              <div>
                <dt>{t("receipt.dueAt")}</dt>
                <dd>{request.dueAt}</dd>
              </div>
            )}
          </dl>
          <p className="hint">{t("receipt.keep")}</p>
        </section>
      ) : null}
    </article>
  );
}
