import { getFormProps } from "@conform-to/react";
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { startSession } from "~/assessment/assessment.server";
import { startSchema } from "~/assessment/schemas";
import { ErrorSummary, TextField, useSchemaForm } from "~/components/forms";
import { getFixedT } from "~/i18n.server";
import { enforceRateLimit } from "~/limits/rate-limit.server";
import { clientMeta, readFormData, referrerHost } from "~/utils/http.server";
import { requireLanguage } from "~/utils/language.server";
import { parseFormSubmission } from "~/validation/form";

const trackedParameters = ["utm_source", "utm_medium", "utm_campaign"] as const;

export function loader({ request, params }: LoaderFunctionArgs) {
  const language = requireLanguage(params);
  const url = new URL(request.url);
  const tracking = Object.fromEntries(
    trackedParameters.map((name) => [name, url.searchParams.get(name)?.slice(0, 200) ?? ""]),
  );
  return {
    title: getFixedT(language, "assessment")("landing.title"),
    language,
    tracking: {
      ...tracking,
      referrer: referrerHost(request.headers.get("referer"), url.host) ?? "",
    },
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request, params, context }: ActionFunctionArgs) {
  await enforceRateLimit("start", request, context);
  const language = requireLanguage(params);
  const submission = parseFormSubmission(await readFormData(request), startSchema);
  if (submission.status !== "success") {
    return data(submission.reply(), { status: 400 });
  }
  const { key } = await startSession(submission.value, clientMeta(request, context.remoteAddress));
  return redirect(`/${language}/assessment/${key}/part/1`);
}

export default function Landing() {
  const { language, tracking } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation("assessment");
  const [form, fields] = useSchemaForm({ id: "start", schema: startSchema, lastResult });
  // The nickname is the only visible field; problems with the hidden ones point to it too.
  const summaryItems = Object.values(form.allErrors)
    .flat()
    .map((key) => ({ fieldId: fields.nickname.id, message: t(key) }));

  return (
    <section className="landing" aria-labelledby="landing-title">
      <h1 id="landing-title">{t("landing.title")}</h1>
      <p className="lead">{t("landing.lead")}</p>
      <p className="muted">{t("landing.duration")}</p>
      <Form method="post" {...getFormProps(form)} className="card stack">
        <ErrorSummary
          id="start-errors"
          items={summaryItems}
        />
        <p className="notice" id="start-notice">
          {t("landing.notice")}
        </p>
        <TextField
          field={fields.nickname}
          namespace="assessment"
          label={t("landing.nicknameLabel")}
          hint={t("landing.nicknameHint")}
          optional
          autoComplete="off"
        />
        <input type="hidden" name={fields.locale.name} value={language} />
        {Object.entries(tracking).map(([name, value]) =>
          value ? <input key={name} type="hidden" name={name} value={value} /> : null,
        )}
        <button type="submit" className="button">
          {t("landing.start")}
        </button>
      </Form>
    </section>
  );
}
