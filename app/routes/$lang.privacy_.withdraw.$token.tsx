import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary } from "~/components/forms";
import { getFixedT } from "~/i18n.server";
import { enforceRateLimit } from "~/limits/rate-limit.server";
import { formatDateTime } from "~/utils/respondent-dates.server";
import { confirmationSchema } from "~/privacy/request-schemas";
import { findWithdrawableConsent, withdrawConsent } from "~/privacy/withdrawal.server";
import { httpError } from "~/utils/http-error.server";
import { readFormData } from "~/utils/http.server";
import { requireLanguage } from "~/utils/language.server";
import { privatePageMeta } from "~/utils/meta";
import { parseFormSubmission } from "~/validation/form";

const NAMESPACE = "privacy-requests";

/**
 * GET names the consent and asks; only the POST withdraws (mail scanners
 * open links). A link whose consent is gone answers 404 with the page's own
 * explanation rather than the error page: right after a withdrawal this
 * loader runs again and must let the action's receipt show.
 */
export function loader({ params }: LoaderFunctionArgs) {
  const language = requireLanguage(params);
  const consent = findWithdrawableConsent(params.token ?? "");
  const title = getFixedT(language, NAMESPACE)("withdraw.metaTitle");
  if (!consent) return data({ title, consent: null }, { status: 404 });
  return {
    title,
    consent: { receiptId: consent.receiptId, purpose: consent.purpose, givenAt: formatDateTime(consent.givenAt, language) },
  };
}

export const meta: MetaFunction<typeof loader> = privatePageMeta;

/**
 * Withdraws and answers with the withdrawal's receipt on the same page: the
 * link stops working with the consent, so there is no page to come back to.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  await enforceRateLimit("privacy", request, context);
  const language = requireLanguage(params);
  const submission = parseFormSubmission(await readFormData(request), confirmationSchema);
  if (submission.status !== "success") return data({ result: submission.reply(), withdrawal: null }, { status: 400 });
  const withdrawal = await withdrawConsent(params.token ?? "", language);
  if (!withdrawal) throw httpError(404, "link_invalid");
  return {
    result: null,
    withdrawal: {
      reference: withdrawal.reference,
      receiptId: withdrawal.receiptId,
      purpose: withdrawal.purpose,
      withdrawnAt: formatDateTime(withdrawal.withdrawnAt, language),
    },
  };
}

export default function WithdrawConsentPage() {
  const { consent } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation(NAMESPACE);
  const { t: tp } = useTranslation("privacy");
  const { t: tc } = useTranslation();
  const withdrawal = actionData?.withdrawal;
  if (withdrawal) {
    return (
      <article className="stack" aria-labelledby="withdraw-title">
        <div className="success-box stack" role="status">
          <h1 id="withdraw-title">{t("withdraw.doneTitle")}</h1>
          <p>{t("withdraw.doneBody")}</p>
        </div>
        <section className="card receipt" aria-labelledby="withdrawal-receipt-title" data-testid="withdrawal-receipt">
          <h2 id="withdrawal-receipt-title">{t("withdraw.receiptTitle")}</h2>
          <dl>
            <div>
              <dt>{t("receipt.reference")}</dt>
              <dd data-testid="request-reference">{withdrawal.reference}</dd>
            </div>
            <div>
              <dt>{t("withdraw.receiptId")}</dt>
              <dd>{withdrawal.receiptId}</dd>
            </div>
            <div>
              <dt>{t("withdraw.purpose")}</dt>
              <dd>{tp(`purposes.${withdrawal.purpose}`)}</dd>
            </div>
            <div>
              <dt>{t("withdraw.withdrawnAt")}</dt>
              <dd>{withdrawal.withdrawnAt}</dd>
            </div>
          </dl>
          <p className="hint">{t("withdraw.keep")}</p>
        </section>
      </article>
    );
  }
  if (!consent) {
    return (
      <article className="stack" aria-labelledby="withdraw-title">
        <h1 id="withdraw-title">{tc("errors.link_invalid.title")}</h1>
        <p>{tc("errors.link_invalid.body")}</p>
      </article>
    );
  }
  const errors = (actionData?.result?.error?.confirm ?? []).map((key) => ({ fieldId: "withdraw-button", message: t(key) }));
  return (
    <article className="stack" aria-labelledby="withdraw-title">
      <h1 id="withdraw-title">{t("withdraw.title")}</h1>
      <ErrorSummary id="withdraw-errors" items={errors} />
      <dl className="card">
        <div>
          <dt>{t("withdraw.receiptId")}</dt>
          <dd>{consent.receiptId}</dd>
        </div>
        <div>
          <dt>{t("withdraw.purpose")}</dt>
          <dd>{tp(`purposes.${consent.purpose}`)}</dd>
        </div>
        <div>
          <dt>{t("withdraw.givenAt")}</dt>
          <dd>{consent.givenAt}</dd>
        </div>
      </dl>
      <Form method="post" className="card stack">
        <p>{t(`withdraw.consequence.${consent.purpose}`)}</p>
        <p>
          <button type="submit" name="confirm" value="yes" className="button" id="withdraw-button">
            {t("withdraw.submit")}
          </button>
        </p>
      </Form>
    </article>
  );
}
