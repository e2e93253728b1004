import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireCompletedSessionRoute } from "~/assessment/assessment.server";
import { ShareSection } from "~/components/share-section";
import { getFixedT } from "~/i18n.server";
import { enforceRateLimit } from "~/limits/rate-limit.server";
import { createShare, revokeShare, shareSectionFor } from "~/shares/share.server";
import { createShareSchema, revokeShareSchema } from "~/shares/schemas";
import { invariantResponse, readFormData } from "~/utils/http.server";
import { privatePageMeta } from "~/utils/meta";
import { parseFormSubmission } from "~/validation/form";

export function loader({ params }: LoaderFunctionArgs) {
  const route = requireCompletedSessionRoute(params);
  return {
    title: getFixedT(route.language, "share")("page.metaTitle"),
    resultPath: `${route.basePath}/result`,
    share: shareSectionFor(route),
  };
}

export const meta: MetaFunction<typeof loader> = privatePageMeta;

export async function action({ request, params, context }: ActionFunctionArgs) {
  await enforceRateLimit("share", request, context);
  const { session, basePath, key } = requireCompletedSessionRoute(params);
  const formData = await readFormData(request);
  // The URL names the session; the create form's copy only lets the browser run the shared schema.
  formData.set("session_key", key);
  const intent = formData.get("intent");
  invariantResponse(intent === "create" || intent === "revoke", 400);

  if (intent === "create") {
    const submission = parseFormSubmission(formData, createShareSchema);
    if (submission.status !== "success") {
      return data(submission.reply(), { status: 400 });
    }
    await createShare(session, submission.value.nickname);
  } else {
    const submission = parseFormSubmission(formData, revokeShareSchema);
    if (submission.status !== "success") {
      return data(submission.reply(), { status: 400 });
    }
    invariantResponse(await revokeShare(session.id, submission.value.slug), 404);
  }
  return redirect(`${basePath}/result#share`);
}

export default function SharePage() {
  const { resultPath, share } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation("share");
  return (
    <div className="stack">
      <ShareSection {...share} lastResult={lastResult} headingLevel={1} />
      <p>
        <Link to={resultPath} className="button button--secondary">
          {t("page.backToResult")}
        </Link>
      </p>
    </div>
  );
}
