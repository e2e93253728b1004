import { expect, test } from "@playwright/test";
import { startAssessment } from "./helpers";

// Without JavaScript a refused part comes back from the server (GOV.UK's pattern);
// with it, the part is checked in the page and conform focuses the first unanswered question.

test("without JavaScript, focus is on the error summary after a refused part, each error under its legend", async ({
  page,
}) => {
  await startAssessment(page, "en");
  await page.getByRole("button", { name: "Next part" }).click();
  const summary = page.getByRole("alert");
  await expect(summary).toBeFocused();
  await expect(summary.getByRole("heading", { level: 2 })).toHaveText(
    "Some questions are not answered yet. Please answer the questions below.",
  );
  const first = page.locator("fieldset.question").first();
  const error = first.locator("legend + ul.field-errors");
  await expect(error).toHaveText("Please choose an answer.");
  await expect(first).toHaveAttribute("aria-describedby", (await error.getAttribute("id"))!);
});
