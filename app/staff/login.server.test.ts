import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { auditLog, staffAccounts, staffSessions } from "#db/schema";
import { staffAccountPiiContext } from "~/privacy/pii-contexts";
import { TEST_STAFF_PASSWORD, signedInStaff } from "~/test/staff";
import { decryptPii } from "~/utils/crypto.server";
import { getDb } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { findStaffById } from "./accounts.server";
import { delayAfterFailures, loginThrottlePolicy } from "./login-throttle.server";
import {
  confirmEnrolment,
  enrolmentSecret,
  sessionStage,
  signInWithPassword,
  unusedRecoveryCodeCount,
  verifySecondFactor,
} from "./login.server";
import { findActiveSession, STAFF_SESSION_COOKIE, type StaffSession } from "./sessions.server";
import { timeStep, totpCode } from "./totp.server";

const client = { ipHash: "fedcba9876543210" };

function auditActions(staffId: number) {
  return getDb()
    .select({ action: auditLog.action, details: auditLog.details })
    .from(auditLog)
    .where(eq(auditLog.staffId, staffId))
    .all();
}

function activeFor(sessionId: string, now = new Date()) {
  const active = findActiveSession(new Request("http://x/admin", { headers: { cookie: `${STAFF_SESSION_COOKIE}=${sessionId}` } }), now);
  if (!active) throw new Error("session not active");
  return active;
}

async function passwordStep(email: string, now = new Date(), ipHash = client.ipHash) {
  const outcome = await signInWithPassword({ email, password: TEST_STAFF_PASSWORD }, { ipHash }, now);
  if (outcome.status !== "signed_in") throw new Error(`login refused: ${outcome.status}`);
  return outcome;
}

describe("password step", () => {
  test("a wrong password, an unknown address and a disabled account are refused alike, and audited apart", async () => {
    const { staff } = await signedInStaff("manager");
    const wrong = await signInWithPassword({ email: staff.email, password: "not the password at all" }, { ipHash: "1111111111111111" });
    const unknown = await signInWithPassword({ email: "nobody@example.test", password: TEST_STAFF_PASSWORD }, { ipHash: "2222222222222222" });
    expect(wrong).toEqual({ status: "refused" });
    expect(unknown).toEqual({ status: "refused" });
    const failures = getDb().select().from(auditLog).where(eq(auditLog.action, "login.failed")).all();
    expect(failures.map((row) => row.details.reason).sort()).toEqual(["unknown_account", "wrong_password"]);
    expect(failures.find((row) => row.details.reason === "unknown_account")?.staffId).toBeNull();
    expect(JSON.stringify(failures)).not.toContain("nobody@example.test");
  });

  test("the address is matched case-insensitively and every login gets a new session id", async () => {
    const { staff } = await signedInStaff("viewer");
    const first = await passwordStep(staff.email.toUpperCase());
    const second = await passwordStep(staff.email);
    expect(first.sessionId).not.toBe(second.sessionId);
    expect(first.sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Only the hash is stored.
    const stored = getDb().select({ idHash: staffSessions.idHash }).from(staffSessions).all().map((row) => row.idHash);
    expect(stored).not.toContain(first.sessionId);
  });

  test("failures beyond the free ones make the account wait longer each time, whatever client tries", async () => {
    const { staff } = await signedInStaff("manager");
    const start = new Date("2026-12-02T09:00:00Z");
    let now = start;
    for (let attempt = 1; attempt <= loginThrottlePolicy.freeFailures + 1; attempt += 1) {
      const outcome = await signInWithPassword(
        { email: staff.email, password: "wrong password, again" },
        { ipHash: `a${attempt}`.padEnd(16, "0") },
        now,
      );
      expect(outcome.status).toBe("refused");
    }
    // Locked now, even with the right password and from a new client.
    const locked = await signInWithPassword({ email: staff.email, password: TEST_STAFF_PASSWORD }, { ipHash: "b".repeat(16) }, now);
    expect(locked).toEqual({ status: "throttled", retryAfterSeconds: loginThrottlePolicy.firstDelayMs / 1000 });
    now = new Date(start.getTime() + loginThrottlePolicy.firstDelayMs + 1);
    expect((await signInWithPassword({ email: staff.email, password: "still wrong!!" }, { ipHash: "c".repeat(16) }, now)).status).toBe(
      "refused",
    );
    const next = await signInWithPassword({ email: staff.email, password: TEST_STAFF_PASSWORD }, { ipHash: "c".repeat(16) }, now);
    expect(next).toEqual({ status: "throttled", retryAfterSeconds: (2 * loginThrottlePolicy.firstDelayMs) / 1000 });
    // After the wait the right password works and clears the account's count.
    now = new Date(now.getTime() + 2 * loginThrottlePolicy.firstDelayMs + 1);
    expect((await signInWithPassword({ email: staff.email, password: TEST_STAFF_PASSWORD }, { ipHash: "d".repeat(16) }, now)).status).toBe(
      "signed_in",
    );
  });

  test("unknown addresses are throttled the same way, so a lockout reveals nothing", async () => {
    const now = new Date("2026-12-02T10:00:00Z");
    for (let attempt = 1; attempt <= loginThrottlePolicy.freeFailures + 1; attempt += 1) {
      await signInWithPassword({ email: "ghost@example.test", password: "guess number x" }, { ipHash: `e${attempt}`.padEnd(16, "0") }, now);
    }
    const outcome = await signInWithPassword({ email: "ghost@example.test", password: "guess number y" }, { ipHash: "f".repeat(16) }, now);
    expect(outcome.status).toBe("throttled");
  });

  test("a hash made with weaker cost parameters is upgraded at the next login", async () => {
    const { staff } = await signedInStaff("viewer");
    const salt = crypto.randomBytes(16);
    const weak = crypto.scryptSync(TEST_STAFF_PASSWORD.normalize("NFKC"), salt, 32, { N: 2 ** 14, r: 8, p: 1 });
    const weakHash = `scrypt$16384$8$1$${salt.toString("base64url")}$${weak.toString("base64url")}`;
    getDb().update(staffAccounts).set({ passwordHash: weakHash }).where(eq(staffAccounts.id, staff.id)).run();
    await passwordStep(staff.email);
    const upgraded = findStaffById(staff.id)!.passwordHash;
    expect(upgraded).toMatch(/^scrypt\$32768\$8\$1\$/);
    await passwordStep(staff.email);
  });

  test("delays double and stop at the cap", () => {
    const { freeFailures, firstDelayMs, maxDelayMs } = loginThrottlePolicy;
    expect(delayAfterFailures(freeFailures)).toBe(0);
    expect(delayAfterFailures(freeFailures + 1)).toBe(firstDelayMs);
    expect(delayAfterFailures(freeFailures + 2)).toBe(2 * firstDelayMs);
    expect(delayAfterFailures(freeFailures + 40)).toBe(maxDelayMs);
  });
});

describe("second factor", () => {
  async function enrolled(now = new Date()) {
    const { staff } = await signedInStaff("admin");
    const login = await passwordStep(staff.email, now);
    const secret = enrolmentSecret(login.session);
    const enrolment = await confirmEnrolment(activeFor(login.sessionId, now), totpCode(secret, timeStep(now)), client, now);
    if (enrolment.status !== "enrolled") throw new Error(enrolment.status);
    return { staff: findStaffById(staff.id)!, secret, recoveryCodes: enrolment.recoveryCodes };
  }

  test("with 2FA required, a new account must enrol; enrolment stores the secret encrypted and ten hashed recovery codes", async () => {
    expect(getEnv().STAFF_REQUIRE_2FA).toBe(false);
    getEnv().STAFF_REQUIRE_2FA = true;
    try {
      const { staff } = await signedInStaff("manager");
      const now = new Date();
      const login = await passwordStep(staff.email, now);
      expect(login.stage).toBe("needs_enrolment");
      const secret = enrolmentSecret(login.session);
      // The page offers the same secret on every render of this session.
      expect(enrolmentSecret(login.session)).toBe(secret);
      const wrong = await confirmEnrolment(activeFor(login.sessionId, now), "000000" === totpCode(secret, timeStep(now)) ? "111111" : "000000", client, now);
      expect(wrong).toEqual({ status: "refused" });
      const enrolment = await confirmEnrolment(activeFor(login.sessionId, now), totpCode(secret, timeStep(now)), client, now);
      expect(enrolment.status).toBe("enrolled");
      if (enrolment.status !== "enrolled") return;
      expect(enrolment.recoveryCodes).toHaveLength(10);
      const account = findStaffById(staff.id)!;
      expect(account.totpSecretEncrypted).not.toContain(secret);
      expect(decryptPii(account.totpSecretEncrypted!, staffAccountPiiContext.totpSecret)).toBe(secret);
      expect(unusedRecoveryCodeCount(staff.id)).toBe(10);
      // The same session is now fully signed in.
      const active = activeFor(login.sessionId, now);
      expect(sessionStage(active.session, active.staff)).toBe("full");
      expect(auditActions(staff.id).map((row) => row.action)).toEqual(
        expect.arrayContaining(["two_factor.enrolled", "login.succeeded"]),
      );
    } finally {
      getEnv().STAFF_REQUIRE_2FA = false;
    }
  });

  test("an enrolled account needs its code after the password; the code rotates the session id and cannot be replayed", async () => {
    const enrolledAt = new Date("2026-12-02T08:00:00Z");
    const { staff, secret } = await enrolled(enrolledAt);
    const now = new Date(enrolledAt.getTime() + 5 * 60_000);
    const login = await passwordStep(staff.email, now);
    expect(login.stage).toBe("needs_code");
    const code = totpCode(secret, timeStep(now));
    const elevated = await verifySecondFactor(activeFor(login.sessionId, now), code, client, now);
    expect(elevated.status).toBe("signed_in");
    if (elevated.status !== "signed_in") return;
    expect(elevated.sessionId).not.toBe(login.sessionId);
    expect(findActiveSession(new Request("http://x", { headers: { cookie: `${STAFF_SESSION_COOKIE}=${login.sessionId}` } }), now)).toBeUndefined();
    // The same code in a second login within its window is refused.
    const again = await passwordStep(staff.email, now);
    expect(await verifySecondFactor(activeFor(again.sessionId, now), code, client, now)).toEqual({ status: "refused" });
    // The next step's code works.
    const later = new Date(now.getTime() + 30_000);
    const next = await verifySecondFactor(activeFor(again.sessionId, later), totpCode(secret, timeStep(later)), client, later);
    expect(next.status).toBe("signed_in");
  });

  test("two requests with the same code at once: exactly one wins", async () => {
    const now = new Date();
    const { staff, secret } = await enrolled(new Date(now.getTime() - 120_000));
    const first = await passwordStep(staff.email, now);
    const second = await passwordStep(staff.email, now);
    const code = totpCode(secret, timeStep(now));
    const outcomes = await Promise.all([
      verifySecondFactor(activeFor(first.sessionId, now), code, client, now),
      verifySecondFactor(activeFor(second.sessionId, now), code, client, now),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["refused", "signed_in"]);
  });

  test("a recovery code works once, in any case and with spaces", async () => {
    const now = new Date();
    const { staff, recoveryCodes } = await enrolled(now);
    const login = await passwordStep(staff.email, now);
    const typed = ` ${recoveryCodes[3].toUpperCase()} `;
    expect((await verifySecondFactor(activeFor(login.sessionId, now), typed, client, now)).status).toBe("signed_in");
    expect(unusedRecoveryCodeCount(staff.id)).toBe(9);
    const again = await passwordStep(staff.email, now);
    expect(await verifySecondFactor(activeFor(again.sessionId, now), recoveryCodes[3], client, now)).toEqual({ status: "refused" });
    expect(auditActions(staff.id).map((row) => row.action)).toContain("recovery_code.used");
  });

  test("guessing codes is throttled per account", async () => {
    const now = new Date();
    const { staff, secret } = await enrolled(new Date(now.getTime() - 120_000));
    const login = await passwordStep(staff.email, now);
    const right = totpCode(secret, timeStep(now));
    const wrong = right === "123456" ? "654321" : "123456";
    for (let attempt = 1; attempt <= loginThrottlePolicy.freeFailures + 1; attempt += 1) {
      expect((await verifySecondFactor(activeFor(login.sessionId, now), wrong, client, now)).status).toBe("refused");
    }
    expect((await verifySecondFactor(activeFor(login.sessionId, now), right, client, now)).status).toBe("throttled");
  });
});

describe("sessions", () => {
  test("a session ends after the idle timeout and at its absolute end, however active", async () => {
    const { staff } = await signedInStaff("viewer");
    const start = new Date("2026-12-02T00:00:00Z");
    const login = await passwordStep(staff.email, start);
    const { idleMs, absoluteMs } = { idleMs: getEnv().STAFF_SESSION_IDLE_MINUTES * 60_000, absoluteMs: getEnv().STAFF_SESSION_MAX_HOURS * 3_600_000 };
    expect(idleMs).toBe(30 * 60_000);
    expect(absoluteMs).toBe(12 * 3_600_000);
    expect(() => activeFor(login.sessionId, new Date(start.getTime() + idleMs - 1000))).not.toThrow();
    expect(() => activeFor(login.sessionId, new Date(start.getTime() + idleMs + 1000))).toThrow();
    // Activity every 20 minutes keeps it alive until the absolute end.
    const raw = getDb().$client;
    const session = getDb().select().from(staffSessions).all().at(-1) as StaffSession;
    raw.prepare("UPDATE staff_sessions SET last_seen_at = ? WHERE id = ?").run(start.getTime() + absoluteMs - 60_000, session.id);
    expect(() => activeFor(login.sessionId, new Date(start.getTime() + absoluteMs - 1000))).not.toThrow();
    expect(() => activeFor(login.sessionId, new Date(start.getTime() + absoluteMs + 1000))).toThrow();
  });

  test("disabling an account ends its sessions", async () => {
    const { staff, cookie } = await signedInStaff("manager");
    const { setStaffDisabled } = await import("./accounts.server");
    await setStaffDisabled(staff.id, true, { staffId: null, ipHash: null });
    expect(findActiveSession(new Request("http://x", { headers: { cookie } }))).toBeUndefined();
    expect(getDb().select().from(staffSessions).where(eq(staffSessions.staffId, staff.id)).all()).toEqual([]);
    expect(getDb().select().from(staffAccounts).where(eq(staffAccounts.id, staff.id)).get()?.disabledReason).toBe("manual");
  });
});
