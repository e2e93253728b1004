import { expect, test } from "@playwright/test";
import { completeAssessment } from "./helpers";

test("the download form validates the email in the browser before anything is sent", async ({ page }) => {
  const basePath = await completeAssessment(page, "en", { value: 5 });
  await page.goto(`${basePath}/download`);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");

  const posts: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST") posts.push(request.url());
  });

  const email = page.getByRole("textbox", { name: "Email" });
  await email.fill("not-an-email");
  await email.blur();
  const error = page.getByText("Please enter a valid email address, like name@example.com.");
  await expect(error.first()).toBeVisible();
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(email).toHaveAccessibleDescription(/Please enter a valid email address/);

  // Revalidated on input: the message goes away as soon as the address is valid.
  await email.fill("client.side@example.com");
  await expect(error).toHaveCount(0);

  await page.getByRole("button", { name: "Get the PDF report" }).click();
  await expect(page.getByRole("alert")).toContainText(
    "Please agree to the collection and use of personal information.",
  );
  expect(posts).toEqual([]);

  await page.getByRole("checkbox", { name: /for sending the assessment report/ }).check();
  await page.getByRole("button", { name: "Get the PDF report" }).click();
  await expect(page.getByRole("heading", { name: "Your PDF report is ready" })).toBeVisible();
  await expect(page.getByTestId("receipt-id")).toHaveText(/^CR-/);
  expect(posts).toHaveLength(1);
});
