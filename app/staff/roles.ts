import type { StaffRole } from "#db/schema";

/**
 * What each role may do; every admin loader and action names one of these
 * and requireStaff checks it on the server.
 */
const grants = {
  /** The dashboard and other aggregate figures: no contact data. */
  dashboard: ["admin", "manager", "viewer"],
  /** Leads, consultations, shares and mail status: decrypted contact data. */
  contacts: ["admin", "manager"],
  /** The register of data-subject requests, erasures, restrictions and the record of processing. */
  privacy: ["admin", "manager"],
  /** Creating and changing organisation cohorts and their HR report links (their reports are aggregates: `dashboard`). */
  cohorts: ["admin", "manager"],
  /** CSV/JSON exports of contact data. */
  export: ["admin", "manager"],
  /** Staff accounts, the access review and the audit log. */
  staff: ["admin"],
} as const satisfies Record<string, readonly StaffRole[]>;

export type StaffPermission = keyof typeof grants;

export function roleAllows(role: StaffRole, permission: StaffPermission) {
  return (grants[permission] as readonly StaffRole[]).includes(role);
}

/** Every permission a role holds, for navigation that shows only what opens. */
export function permissionsOf(role: StaffRole) {
  return (Object.keys(grants) as StaffPermission[]).filter((permission) => roleAllows(role, permission));
}
