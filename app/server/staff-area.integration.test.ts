import { spawnSync } from "node:child_process";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { postForm, rawRequest, startProductionServer, type ProductionServer } from "~/test/production-server";

let server: ProductionServer;

beforeAll(async () => {
  server = await startProductionServer();
});

afterAll(async () => {
  await server?.stop();
});

/** `npm run staff:*` and `npm run audit:verify` as an operator runs them: the scripts against the build, with the server's settings. */
function operatorCommand(script: string, args: string[], input = "") {
  const result = spawnSync(process.execPath, [script, ...args], {
    input,
    encoding: "utf8",
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      PUBLIC_URL: server.url,
      DATA_DIR: server.dataDir,
      SECRET_KEY: "integration-test-secret-key-0123456789abcdef",
    },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

const staffCommand = (args: string[], input = "") => operatorCommand("scripts/staff.js", args, input);

function cookiesOf(response: { headers: Record<string, unknown> }) {
  const header = response.headers["set-cookie"];
  return Array.isArray(header) ? (header as string[]) : header ? [String(header)] : [];
}

function hiddenCsrf(html: string) {
  return /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
}

describe("staff accounts from the command line", () => {
  test("create reads the password from standard input, never from the arguments", () => {
    const created = staffCommand(
      ["create", "--email", "Admin@Example.test", "--name", "관리자", "--role", "admin"],
      "a very long passphrase\n",
    );
    expect(created.err).toBe("");
    expect(created.code).toBe(0);
    expect(created.out).toContain("admin@example.test (admin)");

    const refused = staffCommand(["create", "--email", "x@example.test", "--name", "x", "--role", "admin", "--password", "secret123456"]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("--password is refused");

    const weak = staffCommand(["create", "--email", "y@example.test", "--name", "y", "--role", "viewer"], "short\n");
    expect(weak.code).toBe(2);
    expect(weak.err).toContain("at least 12 characters");

    const duplicate = staffCommand(["create", "--email", "admin@example.test", "--name", "again", "--role", "viewer"], "another long passphrase\n");
    expect(duplicate.code).toBe(1);

    const listed = staffCommand(["list"]);
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/admin@example\.test\t관리자\tadmin\toff\t-\t-/);
    expect(listed.out).not.toContain("passphrase");
  });

  test("disable and enable by email", () => {
    staffCommand(["create", "--email", "temp@example.test", "--name", "임시", "--role", "viewer"], "temporary passphrase\n");
    expect(staffCommand(["disable", "--email", "temp@example.test"]).code).toBe(0);
    expect(staffCommand(["list"]).out).toMatch(/temp@example\.test.*\(manual\)/);
    expect(staffCommand(["enable", "--email", "temp@example.test"]).code).toBe(0);
    expect(staffCommand(["disable", "--email", "nobody@example.test"]).code).toBe(1);
  });
});

describe("the staff area over HTTP", () => {
  test("login sets a __Host- session cookie and, in production, sends a new account to 2FA enrolment", async () => {
    staffCommand(["create", "--email", "web@example.test", "--name", "웹", "--role", "manager"], "web login passphrase\n");
    const page = await rawRequest(`${server.url}/admin/login`);
    expect(page.status).toBe(200);
    expect(page.headers["cache-control"]).toContain("no-store");
    expect(page.headers["x-robots-tag"]).toContain("noindex");
    expect(page.headers["content-security-policy"]).toContain("script-src");
    const [nonceCookie] = cookiesOf(page);
    expect(nonceCookie).toMatch(/^__Host-staff_login=[^;]+; Path=\/; Max-Age=3600; HttpOnly; SameSite=Lax; Secure$/);
    const cookie = nonceCookie.split(";")[0];

    const wrong = await postForm(
      `${server.url}/admin/login`,
      { csrf: hiddenCsrf(page.body), email: "web@example.test", password: "not the passphrase" },
      { headers: { cookie } },
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body).toContain("web@example.test");
    expect(wrong.body).not.toContain("not the passphrase");

    const noToken = await postForm(`${server.url}/admin/login`, { email: "web@example.test", password: "web login passphrase" }, { headers: { cookie } });
    expect(noToken.status).toBe(403);

    const login = await postForm(
      `${server.url}/admin/login`,
      { csrf: hiddenCsrf(page.body), email: "web@example.test", password: "web login passphrase" },
      { headers: { cookie } },
    );
    expect(login.status).toBe(302);
    expect(login.headers.location).toBe("/admin/two-factor");
    const session = cookiesOf(login).find((value) => value.startsWith("__Host-staff_session="))!;
    expect(session).toMatch(/; Path=\/; Max-Age=43200; HttpOnly; SameSite=Lax; Secure$/);

    // Until enrolment, every other staff page leads back to it.
    const dashboard = await rawRequest(`${server.url}/admin/consultations`, { headers: { cookie: session.split(";")[0] } });
    expect(dashboard.status).toBe(302);
    expect(dashboard.headers.location).toBe("/admin/two-factor");
    const enrolment = await rawRequest(`${server.url}/admin/two-factor`, { headers: { cookie: session.split(";")[0] } });
    expect(enrolment.status).toBe(200);
    expect(enrolment.body).toContain("<svg");
    expect(enrolment.body).toMatch(/data-testid="totp-secret">[A-Z2-7 ]{32,40}</);
  });

  test("anonymous visitors are sent to the login page; respondent pages still set no cookie", async () => {
    const leads = await rawRequest(`${server.url}/admin/leads`);
    expect(leads.status).toBe(302);
    expect(leads.headers.location).toBe("/admin/login?redirectTo=%2Fadmin%2Fleads");
    expect(leads.headers["cache-control"]).toContain("no-store");
    const landing = await rawRequest(`${server.url}/ko`);
    expect(landing.status).toBe(200);
    expect(cookiesOf(landing)).toEqual([]);
    for (const path of ["/ko", "/en", "/ko/privacy", "/en/privacy"]) {
      expect((await rawRequest(`${server.url}${path}`)).body, path).not.toContain("/admin");
    }
    // Staff translations never reach the respondent's browser.
    const respondentTranslations = await rawRequest(`${server.url}/locales/ko`);
    expect(respondentTranslations.body).not.toContain("관리자 로그인");
    const staffTranslations = await rawRequest(`${server.url}/locales/ko?area=staff`);
    expect(staffTranslations.body).toContain("관리자 로그인");
  });
});

describe("npm run audit:verify", () => {
  test("passes on the server's log, then fails at the row edited in the raw database", async () => {
    const intact = operatorCommand("scripts/audit-verify.js", []);
    expect(intact.code).toBe(0);
    expect(intact.out).toMatch(/\[audit:verify\] ok: \d+ row\(s\), chain intact/);
    expect(intact.out).toMatch(/newest hash: [0-9a-f]{64}/);

    const database = new Database(server.databasePath);
    try {
      const { id } = database.prepare("SELECT id FROM audit_log WHERE action = 'staff.created' ORDER BY id LIMIT 1").get() as { id: number };
      database.prepare("UPDATE audit_log SET details = json_set(details, '$.role', 'viewer') WHERE id = ?").run(id);
      const broken = operatorCommand("scripts/audit-verify.js", []);
      expect(broken.code).toBe(1);
      expect(broken.err).toContain(`BROKEN at row ${id}:`);
    } finally {
      database.close();
    }
  });
});
