import { expect, it } from "vitest";
import { inspectPdf } from "./pdf-test-utils";
import { renderReportPdf } from "./render.server";
import { koreanReportInput } from "./report-fixtures";

// Configuration is read once per process, so this file sets it before any render.
process.env.PUBLIC_URL = "https://assessment.example.com";

it("links the privacy policy by its public address when one is configured", async () => {
  const pdf = inspectPdf(await renderReportPdf(koreanReportInput));

  expect(pdf.flatText).toContain(
    "개인정보처리방침을 참고하세요: https://assessment.example.com/ko/privacy"
  );
});
