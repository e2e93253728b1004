import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { describe, expect, test } from "vitest";
import { appendAudit } from "~/audit/audit-log.server";
import { verifyAuditChain } from "~/audit/verify.server";
import type { Language } from "~/i18n";
import { getI18nInstance } from "~/i18n.server";
import { getDb } from "~/utils/db.server";
import { AuditChainStatus } from "./audit-chain-status";

function rendered(language: Language) {
  return renderToStaticMarkup(
    <I18nextProvider i18n={getI18nInstance(language)}>
      <AuditChainStatus chain={verifyAuditChain()} />
    </I18nextProvider>,
  );
}

describe("the audit chain status", () => {
  test("intact: the rows checked and the newest hash, in the staff member's language", async () => {
    await appendAudit({ staffId: null, action: "login.failed" });
    const newest = await appendAudit({ staffId: null, action: "logout" });
    expect(rendered("ko")).toContain("해시 체인 정상: 2행을 검증했습니다.");
    expect(rendered("en")).toContain("Hash chain intact: 2 rows verified.");
    expect(rendered("en")).toContain(`<code>${newest.hash}</code>`);
  });

  test("each kind of break names the first broken row", async () => {
    const edited = await appendAudit({ staffId: null, action: "logout" });
    const linked = await appendAudit({ staffId: null, action: "login.failed" });
    const deleted = await appendAudit({ staffId: null, action: "logout" });
    getDb().$client.prepare("DELETE FROM audit_log WHERE id = ?").run(deleted.id);
    expect(rendered("en")).toContain(`rows up to ${deleted.id} were issued but those from ${deleted.id} on are gone`);

    // The walk goes oldest first, so an edit before the deleted row is what it reports now.
    getDb().$client.prepare("UPDATE audit_log SET action = 'login.succeeded' WHERE id = ?").run(edited.id);
    const changed = rendered("ko");
    expect(changed).toContain('role="alert"');
    expect(changed).toContain(`해시 체인 손상: ${edited.id}번 행의 내용이 기록된 뒤 바뀌었습니다.`);
    expect(rendered("en")).toContain(`Hash chain broken: row ${edited.id} was changed after it was written.`);

    getDb().$client.prepare("UPDATE audit_log SET details = 'not json' WHERE id = ?").run(edited.id);
    expect(rendered("en")).toContain(`row ${edited.id} was changed and can no longer be read as an audit row`);

    getDb().$client.prepare("DELETE FROM audit_log WHERE id = ?").run(edited.id);
    expect(rendered("en")).toContain(`Hash chain broken: row ${linked.id} does not link to the row before it`);
  });
});
