import crypto from "node:crypto";
import { and, count, eq, isNull, lt, or } from "drizzle-orm";
import { staffAccounts, staffRecoveryCodes, staffSessions } from "#db/schema";
import { recordAudit } from "~/audit/audit-log.server";
import { staffAccountPiiContext } from "~/privacy/pii-contexts";
import { decryptPii, deriveKey, encryptPii } from "~/utils/crypto.server";
import { getDb, writeTransaction, type WriteTx } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { z } from "~/validation/zod";
import { disableInactiveAccounts, findStaffByEmail, staffEmailSchema } from "./accounts.server";
import {
  accountThrottleKey,
  clearFailures,
  clientThrottleKey,
  lockedFor,
  recordFailure,
  secondFactorThrottleKey,
} from "./login-throttle.server";
import {
  hashPassword,
  PASSWORD_MAX_LENGTH,
  passwordNeedsRehash,
  verifyPassword,
  verifyPasswordOfUnknownAccount,
} from "./password.server";
import {
  generateRecoveryCodes,
  hashRecoveryCode,
  looksLikeRecoveryCode,
} from "./recovery-codes.server";
import {
  createStaffSession,
  elevateStaffSession,
  type ActiveStaffSession,
  type StaffAccount,
  type StaffSession,
} from "./sessions.server";
import { base32Encode, verifyTotp } from "./totp.server";

export const loginSchema = z.object({
  email: staffEmailSchema,
  password: z
    .string({ required_error: "validation.passwordRequired" })
    .min(1, "validation.passwordRequired")
    .max(PASSWORD_MAX_LENGTH, "validation.passwordTooLong"),
});

export const secondFactorSchema = z.object({
  code: z
    .string({ required_error: "validation.codeRequired" })
    .trim()
    .min(1, "validation.codeRequired")
    .max(40, "validation.codeInvalid"),
});

/** Where a session stands: signed in, or waiting for the second factor or for its enrolment. */
export type SessionStage = "full" | "needs_code" | "needs_enrolment";

export function sessionStage(session: StaffSession, staff: StaffAccount): SessionStage {
  if (session.secondFactorAt) return "full";
  if (staff.totpConfirmedAt) return "needs_code";
  return getEnv().STAFF_REQUIRE_2FA ? "needs_enrolment" : "full";
}

type Client = { ipHash: string };

export type Refusal = { status: "refused" } | { status: "throttled"; retryAfterSeconds: number };
export type SignedIn = { status: "signed_in"; sessionId: string; session: StaffSession; stage: SessionStage };

function throttled(waitMs: number): Refusal {
  return { status: "throttled", retryAfterSeconds: Math.ceil(waitMs / 1000) };
}

function completeLogin(tx: WriteTx, staff: StaffAccount, method: string, client: Client, now: Date) {
  tx.update(staffAccounts).set({ lastLoginAt: now }).where(eq(staffAccounts.id, staff.id)).run();
  recordAudit(
    tx,
    { staffId: staff.id, ipHash: client.ipHash, action: "login.succeeded", targetType: "staff", targetId: staff.id, details: { method } },
    now,
  );
}

/**
 * The password step. Unknown, disabled and wrong-password logins look the
 * same to the client and take the same time; the audit row tells them apart.
 */
export async function signInWithPassword(
  input: z.output<typeof loginSchema>,
  client: Client,
  now = new Date(),
): Promise<SignedIn | Refusal> {
  const keys = [accountThrottleKey(input.email), clientThrottleKey(client.ipHash)];
  const wait = lockedFor(keys, now);
  if (wait > 0) {
    await writeTransaction((tx) =>
      recordAudit(tx, { staffId: null, ipHash: client.ipHash, action: "login.failed", details: { reason: "throttled" } }, now),
    );
    return throttled(wait);
  }
  await disableInactiveAccounts(getEnv().STAFF_INACTIVE_DAYS, now);
  const staff = findStaffByEmail(input.email);
  const usable = staff && !staff.disabledAt;
  const passwordMatches = usable
    ? await verifyPassword(input.password, staff.passwordHash)
    : await verifyPasswordOfUnknownAccount(input.password);
  if (!usable || !passwordMatches) {
    const reason = !staff ? "unknown_account" : staff.disabledAt ? "disabled" : "wrong_password";
    await writeTransaction((tx) => {
      for (const key of keys) recordFailure(tx, key, now);
      recordAudit(
        tx,
        {
          staffId: staff?.id ?? null,
          ipHash: client.ipHash,
          action: "login.failed",
          targetType: staff ? "staff" : null,
          targetId: staff?.id ?? null,
          details: { reason, stage: "password" },
        },
        now,
      );
    });
    return { status: "refused" };
  }
  // Hashes made under weaker cost parameters are upgraded while the password is at hand.
  const upgradedHash = passwordNeedsRehash(staff.passwordHash) ? await hashPassword(input.password) : undefined;
  return writeTransaction((tx) => {
    clearFailures(tx, keys[0]);
    if (upgradedHash) {
      tx.update(staffAccounts).set({ passwordHash: upgradedHash }).where(eq(staffAccounts.id, staff.id)).run();
    }
    const { sessionId, session } = createStaffSession(tx, { staffId: staff.id, ipHash: client.ipHash, now });
    const stage = sessionStage(session, staff);
    if (stage === "full") completeLogin(tx, staff, "password", client, now);
    return { status: "signed_in" as const, sessionId, session, stage };
  });
}

/** Takes a TOTP step for good, atomically: of two requests with the same code only one wins. */
function claimTotpStep(tx: WriteTx, staffId: number, step: number) {
  return (
    tx
      .update(staffAccounts)
      .set({ totpLastStep: step })
      .where(
        and(
          eq(staffAccounts.id, staffId),
          or(isNull(staffAccounts.totpLastStep), lt(staffAccounts.totpLastStep, step)),
        ),
      )
      .run().changes === 1
  );
}

function claimRecoveryCode(tx: WriteTx, staffId: number, code: string, now: Date) {
  return (
    tx
      .update(staffRecoveryCodes)
      .set({ usedAt: now })
      .where(
        and(
          eq(staffRecoveryCodes.staffId, staffId),
          eq(staffRecoveryCodes.codeHash, hashRecoveryCode(code)),
          isNull(staffRecoveryCodes.usedAt),
        ),
      )
      .run().changes === 1
  );
}

export type Elevated = { status: "signed_in"; sessionId: string; session: StaffSession };

function refuseSecondFactor(active: ActiveStaffSession, client: Client, now: Date, reason: string) {
  return writeTransaction((tx): Refusal => {
    recordFailure(tx, secondFactorThrottleKey(active.staff.id), now);
    recordAudit(
      tx,
      {
        staffId: active.staff.id,
        ipHash: client.ipHash,
        action: "login.failed",
        targetType: "staff",
        targetId: active.staff.id,
        details: { reason, stage: "second_factor" },
      },
      now,
    );
    return { status: "refused" };
  });
}

/** The second step of a login: a TOTP code, or one of the recovery codes. */
export async function verifySecondFactor(
  active: ActiveStaffSession,
  code: string,
  client: Client,
  now = new Date(),
): Promise<Elevated | Refusal> {
  const { staff, session } = active;
  const throttleKey = secondFactorThrottleKey(staff.id);
  const wait = lockedFor([throttleKey], now);
  if (wait > 0) return throttled(wait);
  const usesRecoveryCode = looksLikeRecoveryCode(code);
  const totpStep =
    !usesRecoveryCode && staff.totpSecretEncrypted
      ? verifyTotp(decryptPii(staff.totpSecretEncrypted, staffAccountPiiContext.totpSecret), code, {
          now,
          lastUsedStep: staff.totpLastStep,
        })?.step
      : undefined;
  if (!usesRecoveryCode && totpStep === undefined) return refuseSecondFactor(active, client, now, "wrong_code");
  const outcome = await writeTransaction((tx) => {
    const claimed = usesRecoveryCode
      ? claimRecoveryCode(tx, staff.id, code, now)
      : claimTotpStep(tx, staff.id, totpStep!);
    if (!claimed) return undefined;
    clearFailures(tx, throttleKey);
    if (usesRecoveryCode) {
      recordAudit(tx, { staffId: staff.id, ipHash: client.ipHash, action: "recovery_code.used", targetType: "staff", targetId: staff.id }, now);
    }
    completeLogin(tx, staff, usesRecoveryCode ? "recovery_code" : "totp", client, now);
    return { status: "signed_in" as const, ...elevateStaffSession(tx, session, now) };
  });
  return outcome ?? refuseSecondFactor(active, client, now, usesRecoveryCode ? "wrong_recovery_code" : "replayed_code");
}

/**
 * The secret offered at enrolment is derived from the session (a keyed hash
 * of its id hash), so showing the page writes nothing, and a page reloaded
 * after a wrong code offers the secret the authenticator app already holds.
 * Only the confirmed secret is stored, encrypted.
 */
export function enrolmentSecret(session: StaffSession) {
  return base32Encode(
    crypto.createHmac("sha256", deriveKey("staff-totp-enrolment")).update(session.idHash).digest().subarray(0, 20),
  );
}

export type Enrolled = { status: "enrolled"; recoveryCodes: string[] };

function storeRecoveryCodes(tx: WriteTx, staffId: number, now: Date) {
  const codes = generateRecoveryCodes();
  tx.delete(staffRecoveryCodes).where(eq(staffRecoveryCodes.staffId, staffId)).run();
  tx.insert(staffRecoveryCodes)
    .values(codes.map((code) => ({ staffId, codeHash: hashRecoveryCode(code), createdAt: now })))
    .run();
  return codes;
}

/** Confirms the authenticator with its first code; the account gets ten fresh recovery codes, shown once. */
export async function confirmEnrolment(
  active: ActiveStaffSession,
  code: string,
  client: Client,
  now = new Date(),
): Promise<Enrolled | Refusal> {
  const { staff, session } = active;
  const throttleKey = secondFactorThrottleKey(staff.id);
  const wait = lockedFor([throttleKey], now);
  if (wait > 0) return throttled(wait);
  const secret = enrolmentSecret(session);
  const verified = verifyTotp(secret, code, { now, lastUsedStep: null });
  if (!verified) return refuseSecondFactor(active, client, now, "wrong_code");
  return writeTransaction((tx) => {
    const completesLogin = sessionStage(session, staff) !== "full";
    tx.update(staffAccounts)
      .set({
        totpSecretEncrypted: encryptPii(secret, staffAccountPiiContext.totpSecret),
        totpConfirmedAt: now,
        totpLastStep: verified.step,
      })
      .where(eq(staffAccounts.id, staff.id))
      .run();
    const recoveryCodes = storeRecoveryCodes(tx, staff.id, now);
    clearFailures(tx, throttleKey);
    recordAudit(tx, { staffId: staff.id, ipHash: client.ipHash, action: "two_factor.enrolled", targetType: "staff", targetId: staff.id }, now);
    if (completesLogin) completeLogin(tx, staff, "enrolment", client, now);
    // The session keeps its id: it was created by this login moments ago, and
    // the page that shows the recovery codes is rendered with the same cookie.
    tx.update(staffSessions).set({ secondFactorAt: now }).where(eq(staffSessions.id, session.id)).run();
    return { status: "enrolled" as const, recoveryCodes };
  });
}

export function regenerateRecoveryCodes(staff: StaffAccount, client: Client, now = new Date()) {
  return writeTransaction((tx) => {
    const codes = storeRecoveryCodes(tx, staff.id, now);
    recordAudit(tx, { staffId: staff.id, ipHash: client.ipHash, action: "recovery_codes.regenerated", targetType: "staff", targetId: staff.id }, now);
    return codes;
  });
}

export function unusedRecoveryCodeCount(staffId: number) {
  return getDb()
    .select({ unused: count() })
    .from(staffRecoveryCodes)
    .where(and(eq(staffRecoveryCodes.staffId, staffId), isNull(staffRecoveryCodes.usedAt)))
    .get()!.unused;
}
