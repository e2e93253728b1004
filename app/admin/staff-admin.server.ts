import {
  changeStaffRole,
  createStaffAccount,
  resetTwoFactor,
  setStaffDisabled,
  StaffAccountNotFound,
  StaffEmailTaken,
  staffRoleSchema,
  type NewStaffAccount,
  type StaffActor,
} from "~/staff/accounts.server";
import type { StaffAccount } from "~/staff/sessions.server";
import { z } from "~/validation/zod";

// The admin's account page: what an admin may do to accounts, and the one
// rule that keeps a deployment from locking itself out.

const accountId = z
  .string({ required_error: "validation.invalidValue" })
  .regex(/^[1-9]\d{0,15}$/, "validation.invalidValue")
  .transform(Number);

export const accountChangeSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("disable"), accountId }),
  z.object({ intent: z.literal("enable"), accountId }),
  z.object({ intent: z.literal("resetTwoFactor"), accountId }),
  z.object({ intent: z.literal("changeRole"), accountId, role: staffRoleSchema }),
]);
export type AccountChange = z.output<typeof accountChangeSchema>;

export type AccountChangeOutcome = "done" | "not_found" | "self_lockout";

/** An admin cannot disable themselves or give up their own admin role: someone must be left to re-enable accounts. */
function locksOutSelf(admin: StaffAccount, change: AccountChange) {
  if (change.accountId !== admin.id) return false;
  return change.intent === "disable" || (change.intent === "changeRole" && change.role !== "admin");
}

export async function changeAccount(admin: StaffAccount, change: AccountChange, actor: StaffActor): Promise<AccountChangeOutcome> {
  if (locksOutSelf(admin, change)) return "self_lockout";
  try {
    switch (change.intent) {
      case "disable":
      case "enable":
        await setStaffDisabled(change.accountId, change.intent === "disable", actor);
        break;
      case "resetTwoFactor":
        await resetTwoFactor(change.accountId, actor);
        break;
      case "changeRole":
        await changeStaffRole(change.accountId, change.role, actor);
        break;
    }
    return "done";
  } catch (error) {
    if (error instanceof StaffAccountNotFound) return "not_found";
    throw error;
  }
}

export async function addAccount(input: NewStaffAccount, actor: StaffActor) {
  try {
    return { status: "created" as const, account: await createStaffAccount(input, actor) };
  } catch (error) {
    if (error instanceof StaffEmailTaken) return { status: "taken" as const };
    throw error;
  }
}
