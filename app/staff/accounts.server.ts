import { and, asc, eq, isNull, lt, sql } from "drizzle-orm";
import { staffAccounts, staffRecoveryCodes, staffRoles, type StaffRole } from "#db/schema";
import { recordAudit } from "~/audit/audit-log.server";
import type { Language } from "~/i18n";
import { getDb, writeTransaction, type WriteTx } from "~/utils/db.server";
import { z } from "~/validation/zod";
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./password.server";
import { deleteSessionsOfStaff, type StaffAccount } from "./sessions.server";

/** Who did something to an account: a signed-in admin, or null for the command line and the inactivity job. */
export type StaffActor = { staffId: number | null; ipHash: string | null };

export function normaliseStaffEmail(email: string) {
  return email.trim().toLowerCase();
}

export const staffEmailSchema = z
  .string({ required_error: "validation.emailRequired" })
  .trim()
  .toLowerCase()
  .min(1, "validation.emailRequired")
  .max(254, "validation.emailInvalid")
  .email("validation.emailInvalid");

export const staffPasswordSchema = z
  .string({ required_error: "validation.passwordRequired" })
  .min(PASSWORD_MIN_LENGTH, "validation.passwordTooShort")
  .max(PASSWORD_MAX_LENGTH, "validation.passwordTooLong")
  .refine((password) => password.trim().length > 0, "validation.passwordTooShort");

export const staffRoleSchema = z.enum(staffRoles, { message: "validation.roleInvalid" });

/** What the command line and the staff page both ask for a new account. */
export const newStaffAccountSchema = z.object({
  email: staffEmailSchema,
  displayName: z
    .string({ required_error: "validation.nameRequired" })
    .trim()
    .min(1, "validation.nameRequired")
    .max(100, "validation.nameTooLong"),
  role: staffRoleSchema,
  password: staffPasswordSchema,
});

export type NewStaffAccount = z.output<typeof newStaffAccountSchema>;

export class StaffEmailTaken extends Error {
  constructor() {
    super("A staff account with this email already exists");
    this.name = "StaffEmailTaken";
  }
}

export async function createStaffAccount(input: NewStaffAccount, actor: StaffActor, now = new Date()) {
  const passwordHash = await hashPassword(input.password);
  return writeTransaction((tx) => {
    if (findByEmail(tx, input.email)) throw new StaffEmailTaken();
    const account = tx
      .insert(staffAccounts)
      .values({
        email: input.email,
        displayName: input.displayName,
        role: input.role,
        passwordHash,
        createdAt: now,
      })
      .returning()
      .get();
    recordAudit(
      tx,
      {
        ...actor,
        action: "staff.created",
        targetType: "staff",
        targetId: account.id,
        details: { role: account.role },
      },
      now,
    );
    return account;
  });
}

function findByEmail(tx: WriteTx | ReturnType<typeof getDb>, email: string) {
  return tx.select().from(staffAccounts).where(eq(staffAccounts.email, normaliseStaffEmail(email))).get();
}

export function findStaffByEmail(email: string): StaffAccount | undefined {
  return findByEmail(getDb(), email);
}

export function findStaffById(id: number): StaffAccount | undefined {
  return getDb().select().from(staffAccounts).where(eq(staffAccounts.id, id)).get();
}

/** Every account as the access review shows it; never a secret or a hash. */
export function listStaffAccounts() {
  return getDb()
    .select({
      id: staffAccounts.id,
      email: staffAccounts.email,
      displayName: staffAccounts.displayName,
      role: staffAccounts.role,
      twoFactorEnabled: sql<number>`${staffAccounts.totpConfirmedAt} IS NOT NULL`.mapWith(Boolean),
      createdAt: staffAccounts.createdAt,
      lastLoginAt: staffAccounts.lastLoginAt,
      disabledAt: staffAccounts.disabledAt,
      disabledReason: staffAccounts.disabledReason,
    })
    .from(staffAccounts)
    .orderBy(asc(staffAccounts.email))
    .all();
}

export type StaffAccountSummary = ReturnType<typeof listStaffAccounts>[number];

function requireAccount(tx: WriteTx, id: number) {
  const account = tx.select().from(staffAccounts).where(eq(staffAccounts.id, id)).get();
  if (!account) throw new StaffAccountNotFound();
  return account;
}

export class StaffAccountNotFound extends Error {
  constructor() {
    super("No staff account with this id");
    this.name = "StaffAccountNotFound";
  }
}

/** Disabling ends the account's sessions at once; enabling restarts its inactivity clock. */
export function setStaffDisabled(id: number, disabled: boolean, actor: StaffActor, now = new Date()) {
  return writeTransaction((tx) => {
    const account = requireAccount(tx, id);
    if (Boolean(account.disabledAt) === disabled) return account;
    const updated = tx
      .update(staffAccounts)
      .set(
        disabled
          ? { disabledAt: now, disabledReason: "manual" }
          : { disabledAt: null, disabledReason: null, reenabledAt: now },
      )
      .where(eq(staffAccounts.id, id))
      .returning()
      .get();
    if (disabled) deleteSessionsOfStaff(tx, id);
    recordAudit(
      tx,
      {
        ...actor,
        action: disabled ? "staff.disabled" : "staff.enabled",
        targetType: "staff",
        targetId: id,
        details: disabled ? {} : { previousReason: account.disabledReason },
      },
      now,
    );
    return updated;
  });
}

export function changeStaffRole(id: number, role: StaffRole, actor: StaffActor, now = new Date()) {
  return writeTransaction((tx) => {
    const account = requireAccount(tx, id);
    if (account.role === role) return account;
    const updated = tx.update(staffAccounts).set({ role }).where(eq(staffAccounts.id, id)).returning().get();
    recordAudit(
      tx,
      { ...actor, action: "staff.role_changed", targetType: "staff", targetId: id, details: { from: account.role, to: role } },
      now,
    );
    return updated;
  });
}

/** For a lost authenticator: the account enrols again at its next login, and its sessions end. */
export function resetTwoFactor(id: number, actor: StaffActor, now = new Date()) {
  return writeTransaction((tx) => {
    requireAccount(tx, id);
    tx.update(staffAccounts)
      .set({ totpSecretEncrypted: null, totpConfirmedAt: null, totpLastStep: null })
      .where(eq(staffAccounts.id, id))
      .run();
    tx.delete(staffRecoveryCodes).where(eq(staffRecoveryCodes.staffId, id)).run();
    deleteSessionsOfStaff(tx, id);
    recordAudit(tx, { ...actor, action: "two_factor.reset", targetType: "staff", targetId: id }, now);
  });
}

export function setStaffLanguage(staff: StaffAccount, language: Language, actor: StaffActor) {
  if (staff.locale === language) return Promise.resolve();
  return writeTransaction((tx) => {
    tx.update(staffAccounts).set({ locale: language }).where(eq(staffAccounts.id, staff.id)).run();
    recordAudit(tx, {
      ...actor,
      action: "staff.language_changed",
      targetType: "staff",
      targetId: staff.id,
      details: { from: staff.locale, to: language },
    });
  });
}

/**
 * Releases accounts nobody used for STAFF_INACTIVE_DAYS (our third-party
 * policy: unused access is withdrawn). Inactivity counts from the latest of
 * the last login, the re-enabling and the creation; only an admin re-enables.
 */
export function disableInactiveAccounts(inactiveDays: number, now = new Date()) {
  const cutoff = new Date(now.getTime() - inactiveDays * 86_400_000);
  const lastActivity = sql`max(coalesce(${staffAccounts.lastLoginAt}, 0), coalesce(${staffAccounts.reenabledAt}, 0), ${staffAccounts.createdAt})`;
  return writeTransaction((tx) => {
    const released = tx
      .update(staffAccounts)
      .set({ disabledAt: now, disabledReason: "inactive" })
      .where(and(isNull(staffAccounts.disabledAt), lt(lastActivity, cutoff.getTime())))
      .returning({ id: staffAccounts.id })
      .all();
    for (const { id } of released) {
      deleteSessionsOfStaff(tx, id);
      recordAudit(
        tx,
        { staffId: null, ipHash: null, action: "staff.auto_disabled", targetType: "staff", targetId: id, details: { inactiveDays } },
        now,
      );
    }
    return released.length;
  });
}
