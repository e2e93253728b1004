import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** The result page's entry points to the two forms that collect personal data; mail is promised only when it is sent. */
export function LeadLinksSection({ basePath, mailOn }: { basePath: string; mailOn: boolean }) {
  const { t } = useTranslation("leads");
  return (
    <section className="card stack" aria-labelledby="lead-links-title">
      <h2 id="lead-links-title">{t("resultLinks.title")}</h2>
      <div>
        <p>
          <Link to={`${basePath}/download`} className="button">
            {t(mailOn ? "resultLinks.download" : "resultLinks.downloadNoMail")}
          </Link>
        </p>
        <p className="hint">{t(mailOn ? "resultLinks.downloadHint" : "resultLinks.downloadHintNoMail")}</p>
      </div>
      <div>
        <p>
          <Link to={`${basePath}/consultation`} className="button button--secondary">
            {t("resultLinks.consultation")}
          </Link>
        </p>
        <p className="hint">{t("resultLinks.consultationHint")}</p>
      </div>
    </section>
  );
}
