import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, TextField, useSchemaForm } from "~/components/forms";
import { createShareSchema } from "~/shares/schemas";

type ShareLink = { slug: string; nickname: string | null; createdAt: string; url: string };

/** Server and browser clocks and locales differ; a fixed UTC form hydrates without mismatch. */
function formatUtc(iso: string) {
  return `${iso.slice(0, 16).replace("T", " ")} UTC`;
}

/**
 * Creating and revoking share links. Both are plain form POSTs to the share
 * route, so they work without JavaScript; errors come back on that route.
 */
export function ShareSection({
  actionPath,
  sessionKey,
  shares,
  lastResult,
  headingLevel = 2,
}: {
  actionPath: string;
  sessionKey: string;
  shares: ShareLink[];
  lastResult?: SubmissionResult<string[]> | null;
  headingLevel?: 1 | 2;
}) {
  const { t } = useTranslation("share");
  const Heading = headingLevel === 1 ? "h1" : "h2";

  return (
    <section id="share" className="card stack" aria-labelledby="share-title">
      <Heading id="share-title">{t("section.title")}</Heading>
      <p>{t("section.intro")}</p>
      <p className="muted">{t("section.revocable")}</p>
      {/* With JavaScript the page stays mounted; a new share (a new newest slug) starts an empty form. */}
      <CreateShareForm
        key={shares[0]?.slug ?? ""}
        actionPath={actionPath}
        sessionKey={sessionKey}
        lastResult={lastResult}
      />

      <div id="share-list" tabIndex={-1}>
        <h3>{t("list.title")}</h3>
        {shares.length === 0 ? (
          <p className="muted">{t("list.empty")}</p>
        ) : (
          <ul className="stack">
            {shares.map((share) => (
              <li key={share.slug} data-testid="share-link">
                <p>
                  <a id={`share-url-${share.slug}`} href={share.url}>
                    {share.url}
                  </a>
                </p>
                <p className="hint">
                  {share.nickname
                    ? t("list.nickname", { nickname: share.nickname })
                    : t("list.anonymous")}
                  {" · "}
                  <time dateTime={share.createdAt}>
                    {t("list.created", { date: formatUtc(share.createdAt) })}
                  </time>
                </p>
                <Form method="post" action={actionPath}>
                  <input type="hidden" name="intent" value="revoke" />
                  <input type="hidden" name="slug" value={share.slug} />
                  <button
                    type="submit"
                    className="button button--secondary"
                    aria-describedby={`share-url-${share.slug}`}
                  >
                    {t("list.revoke")}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

function CreateShareForm({
  actionPath,
  sessionKey,
  lastResult,
}: {
  actionPath: string;
  sessionKey: string;
  lastResult?: SubmissionResult<string[]> | null;
}) {
  const { t } = useTranslation("share");
  // Not "share": that id belongs to the section, and inputs find their form by id.
  const [form, fields] = useSchemaForm({ id: "share-create", schema: createShareSchema, lastResult });
  const summaryItems = Object.entries(form.allErrors).flatMap(([name, keys]) =>
    keys.map((key) => ({
      fieldId: name === fields.nickname.name ? fields.nickname.id : "share-list",
      message: t(key),
    })),
  );

  return (
    <Form method="post" action={actionPath} {...getFormProps(form)} className="stack">
      <ErrorSummary id="share-errors" items={summaryItems} />
      <input type="hidden" name="intent" value="create" />
      <input type="hidden" name={fields.session_key.name} value={sessionKey} />
      <TextField
        field={fields.nickname}
        namespace="share"
        label={t("form.nicknameLabel")}
        hint={t("form.nicknameHint")}
        optional
        autoComplete="off"
      />
      <button type="submit" className="button">
        {t("form.submit")}
      </button>
    </Form>
  );
}
