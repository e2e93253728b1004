import { getFormProps } from "@conform-to/react";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { RadioGroupField } from "~/components/choice-fields";
import { ErrorSummary, TextField, useSchemaForm } from "~/components/forms";
import { OperatorContact } from "~/components/site-chrome";
import { getFixedT } from "~/i18n.server";
import { enforceRateLimit } from "~/limits/rate-limit.server";
import { isMailConfigured } from "~/mail/transport.server";
import { operatorDisplay } from "~/privacy/operator.server";
import { requestTypeValues, selfServiceRequestSchema } from "~/privacy/request-schemas";
import { requestVerification, VERIFICATION_HOURS } from "~/privacy/self-service.server";
import { publicOrigin, readFormData } from "~/utils/http.server";
import { requireLanguage } from "~/utils/language.server";
import { parseFormSubmission } from "~/validation/form";

const NAMESPACE = "privacy-requests";

export function loader({ request, params }: LoaderFunctionArgs) {
  const language = requireLanguage(params);
  return {
    title: getFixedT(language, NAMESPACE)("request.metaTitle"),
    language,
    mailOn: isMailConfigured(),
    operator: operatorDisplay(language),
    sent: new URL(request.url).searchParams.has("sent"),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request, params, context }: ActionFunctionArgs) {
  await enforceRateLimit("privacy", request, context);
  const language = requireLanguage(params);
  const submission = parseFormSubmission(await readFormData(request), selfServiceRequestSchema);
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  if (!isMailConfigured()) {
    // Only a hand-made post gets here: without mail the page shows no form, only where to write.
    return data(submission.reply({ formErrors: ["request.mailOff"] }), { status: 409 });
  }
  await requestVerification(submission.value, { language, origin: publicOrigin() });
  // The same answer whatever the address: the page never tells whether anything is held for it.
  return redirect(`/${language}/privacy/request?sent`);
}

export default function PrivacyRequestPage() {
  const { mailOn, sent, operator, language } = useLoaderData<typeof loader>();
  const { t } = useTranslation(NAMESPACE);
  return (
    <article className="stack" aria-labelledby="request-title">
      <p>
        <Link to={`/${language}/privacy`}>{t("request.backToPolicy")}</Link>
      </p>
      <h1 id="request-title">{t("request.title")}</h1>
      {sent ? (
        <div className="success-box stack" role="status">
          <h2>{t("request.sentTitle")}</h2>
          <p>{t("request.sentBody", { hours: VERIFICATION_HOURS })}</p>
          <p>{t("request.sentNoMail")}</p>
        </div>
      ) : mailOn ? (
        <>
          <p className="lead">{t("request.lead")}</p>
          <RequestForm />
        </>
      ) : (
        <div className="card stack" data-testid="request-by-mail" id="request-by-mail">
          <MailOffErrors />
          <p>{t("request.mailOffLead")}</p>
          <p>
            {t("request.contactLabel")}: <OperatorContact operator={operator} />
          </p>
          <p>{t("request.mailOffWhat")}</p>
        </div>
      )}
      <section className="stack" aria-labelledby="request-what-next">
        <h2 id="request-what-next">{t("request.whatNextTitle")}</h2>
        <ul>
          <li>{t("request.whatNext.verify", { hours: VERIFICATION_HOURS })}</li>
          <li>{t("request.whatNext.deadline")}</li>
          <li>{t("request.whatNext.withdrawal")}</li>
          <li>{t("request.whatNext.noDisclosure")}</li>
        </ul>
      </section>
    </article>
  );
}

/** A post that reached a server without mail (a stale page, a script): what was wrong, above where to write instead. */
function MailOffErrors() {
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation(NAMESPACE);
  const messages = Object.values(lastResult?.error ?? {}).flatMap((keys) => keys ?? []);
  return (
    <ErrorSummary id="privacy-request-errors" items={[...new Set(messages)].map((key) => ({ fieldId: "request-by-mail", message: t(key) }))} />
  );
}

function RequestForm() {
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation(NAMESPACE);
  const [form, fields] = useSchemaForm({ id: "privacy-request", schema: selfServiceRequestSchema, lastResult });
  const summary = [
    ...(form.errors ?? []).map((key) => ({ fieldId: fields.type.id, message: t(key) })),
    ...[fields.type, fields.email, fields.details].flatMap((field) =>
      (field.errors ?? []).map((key) => ({ fieldId: field.id, message: t(key) })),
    ),
  ];
  return (
    <Form method="post" {...getFormProps(form)} className="card stack">
      <ErrorSummary id="privacy-request-errors" items={summary} />
      <RadioGroupField
        namespace={NAMESPACE}
        field={fields.type}
        label={t("request.typeLegend")}
        choices={requestTypeValues.map((type) => ({ value: type, label: t(`types.${type}.label`) }))}
        hint={t("request.typeHint")}
      />
      <TextField
        namespace={NAMESPACE}
        field={fields.email}
        label={t("request.email")}
        type="email"
        autoComplete="email"
        hint={t("request.emailHint")}
      />
      <TextField
        namespace={NAMESPACE}
        field={fields.details}
        label={t("request.details")}
        hint={t("request.detailsHint")}
        multiline
        optional
      />
      <p>
        <button type="submit" className="button">
          {t("request.submit")}
        </button>
      </p>
    </Form>
  );
}
