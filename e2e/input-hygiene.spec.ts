import { expect, test } from "@playwright/test";

test("a nickname with a bidi override is refused with the translated message and the value kept", async ({ page }) => {
  await page.goto("/ko");
  const nickname = page.getByLabel("닉네임");
  await nickname.fill("a\u202Eb");
  await page.getByRole("button", { name: "진단 시작하기" }).click();

  const message = "입력할 수 없는 문자(제어 문자나 보이지 않는 글자 방향 기호)가 들어 있습니다. 해당 문자를 지우고 다시 입력해 주세요.";
  await expect(page.getByRole("alert").getByRole("link")).toHaveText(message);
  await expect(nickname).toHaveAttribute("aria-invalid", "true");
  const describedBy = (await nickname.getAttribute("aria-describedby")) ?? "";
  const errorId = describedBy.split(" ").find((id) => id.endsWith("error"));
  await expect(page.locator(`[id="${errorId}"]`)).toHaveText(message);
  await expect(nickname).toHaveValue("a\u202Eb");
  await expect(page).toHaveURL(/\/ko(\?index)?$/);
});

test("21 emoji are a nickname of 21 characters, accepted by the browser and the server", async ({ page }) => {
  await page.goto("/en");
  await page.getByLabel("Nickname").fill("👩‍💻".repeat(21));
  await page.getByRole("button", { name: "Start the assessment" }).click();
  await expect(page).toHaveURL(/\/en\/assessment\/[A-Za-z0-9_-]{32}\/part\/1$/);
});
