import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import { expect, type Page } from "@playwright/test";

export const STAFF_PASSWORD = "e2e staff passphrase";

/** `npm run staff:create` against an e2e server's data folder (the main one unless named), the password on standard input. */
export function createStaffAccount(
  email: string,
  role: "admin" | "manager" | "viewer",
  name = "직원",
  server = { port: process.env.E2E_PORT, dataDir: process.env.E2E_DATA_DIR },
) {
  execFileSync(process.execPath, ["scripts/staff.js", "create", "--email", email, "--name", name, "--role", role], {
    input: `${STAFF_PASSWORD}\n`,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      PUBLIC_URL: `http://127.0.0.1:${server.port}`,
      DATA_DIR: server.dataDir,
    },
  });
}

/** RFC 6238 computed here from the shown secret, as an authenticator app would: independent of the server's code. */
export function totp(secretBase32: string, now = Date.now()) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const character of secretBase32.replace(/[\s=]/g, "").toUpperCase()) {
    bits += alphabet.indexOf(character).toString(2).padStart(5, "0");
  }
  const key = Buffer.from(bits.match(/.{8}/g)!.map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(now / 1000 / 30)));
  const digest = crypto.createHmac("sha1", key).update(counter).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  return String((digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

/**
 * Signs in with the password and, at the first login, enrols the
 * authenticator from the secret the page shows; lands on `landing`.
 */
export async function signInAndEnrol(page: Page, email: string) {
  await page.goto("/admin/login?lang=ko");
  await page.getByLabel("이메일").fill(email);
  await page.getByLabel("비밀번호").fill(STAFF_PASSWORD);
  await page.getByRole("button", { name: "로그인" }).click();
  await expect(page).toHaveURL(/\/admin\/two-factor$/);
  const secret = (await page.getByTestId("totp-secret").textContent())!;
  await page.getByLabel("인증 앱에 표시된 6자리 코드").fill(totp(secret));
  await page.getByRole("button", { name: "등록 완료" }).click();
  await expect(page.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
  await page.getByRole("link", { name: "관리 홈으로" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  return secret;
}
