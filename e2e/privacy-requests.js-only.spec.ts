import { expect, test } from "@playwright/test";

test("with JavaScript the request form checks a rectification's details in the browser, then sends as without it", async ({ page }) => {
  await page.goto("/en/privacy/request");
  await page.getByRole("radio", { name: /^Rectification:/ }).check();
  await page.getByRole("textbox", { name: "Email" }).fill(`js-${Date.now()}@example.test`);
  await page.getByRole("button", { name: "Send me the confirmation mail" }).click();
  // Refused before anything is posted: still the form, with the problem linked to its field.
  await expect(page).toHaveURL(/\/en\/privacy\/request$/);
  const summary = page.getByRole("alert");
  await expect(summary).toContainText("Say what is wrong and what it should be.");
  await summary.getByRole("link", { name: "Say what is wrong and what it should be." }).click();
  await expect(page.getByRole("textbox", { name: /Your request/ })).toBeFocused();

  await page.getByRole("textbox", { name: /Your request/ }).fill("My company name is misspelt: it is 유에스랩.");
  await page.getByRole("button", { name: "Send me the confirmation mail" }).click();
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  await expect(page).toHaveURL(/\/en\/privacy\/request\?sent$/);
});
