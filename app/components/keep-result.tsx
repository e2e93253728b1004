import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

/**
 * The result's link, the only way back to it, in a read-only field anyone can
 * select and copy without JavaScript. The copy button exists only once React
 * runs (it needs the clipboard API); a polite live region says what happened.
 */
export function KeepResultPanel({ url }: { url: string }) {
  const { t } = useTranslation("assessment");
  const [hydrated, setHydrated] = useState(false);
  const [status, setStatus] = useState("");
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => setHydrated(true), []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setStatus(t("result.keep.copied"));
    } catch {
      // Refused (permissions, an insecure origin): select the text so a keystroke copies it.
      field.current?.select();
      setStatus(t("result.keep.copyFailed"));
    }
  }

  return (
    <section className="card keep-panel" aria-labelledby="keep-title" data-testid="keep-panel">
      <h2 id="keep-title">{t("result.keep.title")}</h2>
      <p id="keep-why">{t("result.keep.onlyWay")}</p>
      <label htmlFor="result-url" className="keep-panel__label">
        {t("result.keep.label")}
      </label>
      <div className="keep-panel__row">
        {/* size: text browsers draw a field that many characters wide, so the whole link shows there. */}
        <input
          ref={field}
          id="result-url"
          type="text"
          readOnly
          value={url}
          size={url.length}
          aria-describedby="keep-why"
          spellCheck={false}
          onFocus={(event) => event.currentTarget.select()}
        />
        {hydrated ? (
          <button type="button" className="button button--secondary" onClick={copy}>
            {t("result.keep.copy")}
          </button>
        ) : null}
      </div>
      <p role="status" className="keep-panel__status">
        {status}
      </p>
    </section>
  );
}
