import { parseArgs } from "node:util";
import {
  createStaffAccount,
  findStaffByEmail,
  listStaffAccounts,
  newStaffAccountSchema,
  normaliseStaffEmail,
  setStaffDisabled,
  StaffEmailTaken,
} from "./accounts.server";

export type StaffCommandIo = {
  /** The password, from standard input or an interactive prompt: never from the command line, where `ps` and shell history show it. */
  readPassword(): Promise<string>;
  out(line: string): void;
  error(line: string): void;
};

const usage = [
  "Usage:",
  '  npm run staff:create -- --email admin@example.com --name "관리자" --role admin   (password on standard input)',
  "  npm run staff:list",
  "  npm run staff:disable -- --email someone@example.com",
  "  npm run staff:enable -- --email someone@example.com",
  "Roles: admin, manager, viewer.",
];

/** The command line's actor in the audit log: no staff member, no client address. */
const commandLine = { staffId: null, ipHash: null };

function formatDate(date: Date | null) {
  return date ? date.toISOString() : "-";
}

/** `npm run staff:*`: runs against the production build, so it works in the container too. Returns the exit code. */
export async function runStaffCommand(argv: string[], io: StaffCommandIo): Promise<number> {
  const [command, ...rest] = argv;
  let options: { email?: string; name?: string; role?: string; password?: string };
  try {
    options = parseArgs({
      args: rest,
      options: {
        email: { type: "string" },
        name: { type: "string" },
        role: { type: "string" },
        password: { type: "string" },
      },
      strict: true,
    }).values;
  } catch (error) {
    io.error(`[staff] ${(error as Error).message}`);
    usage.forEach(io.error);
    return 2;
  }
  if (options.password !== undefined) {
    io.error("[staff] --password is refused: command lines end up in shell history and process lists.");
    io.error("[staff] Type the password when asked, or pipe it on standard input.");
    return 2;
  }
  switch (command) {
    case "create":
      return create(options, io);
    case "list":
      return list(io);
    case "disable":
    case "enable":
      return toggle(command, options.email, io);
    default:
      usage.forEach(io.error);
      return 2;
  }
}

async function create(options: { email?: string; name?: string; role?: string }, io: StaffCommandIo) {
  const password = await io.readPassword();
  const parsed = newStaffAccountSchema.safeParse({
    email: options.email,
    displayName: options.name,
    role: options.role,
    password,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      io.error(`[staff] ${issue.path.join(".") || "input"}: ${cliMessages[issue.message] ?? "is not valid"}`);
    }
    return 2;
  }
  try {
    const account = await createStaffAccount(parsed.data, commandLine);
    io.out(`[staff] created account ${account.id}: ${account.email} (${account.role})`);
    io.out("[staff] Two-factor enrolment happens at the first sign-in, at /admin/login.");
    return 0;
  } catch (error) {
    if (!(error instanceof StaffEmailTaken)) throw error;
    io.error("[staff] an account with this email already exists");
    return 1;
  }
}

/** The schema's messages are translation keys for the staff page; the operator reads English. */
const cliMessages: Record<string, string> = {
  "validation.emailRequired": "is required (--email)",
  "validation.emailInvalid": "is not a valid email address",
  "validation.nameRequired": "is required (--name)",
  "validation.nameTooLong": "must be at most 100 characters",
  "validation.roleInvalid": "must be admin, manager or viewer (--role)",
  "validation.passwordRequired": "is required on standard input",
  "validation.passwordTooShort": "must be at least 12 characters",
  "validation.passwordTooLong": "must be at most 256 characters",
};

function list(io: StaffCommandIo) {
  const accounts = listStaffAccounts();
  io.out(["id", "email", "name", "role", "2fa", "last_login", "disabled"].join("\t"));
  for (const account of accounts) {
    io.out(
      [
        account.id,
        account.email,
        account.displayName,
        account.role,
        account.twoFactorEnabled ? "on" : "off",
        formatDate(account.lastLoginAt),
        account.disabledAt ? `${formatDate(account.disabledAt)} (${account.disabledReason})` : "-",
      ].join("\t"),
    );
  }
  io.out(`[staff] ${accounts.length} account(s)`);
  return 0;
}

async function toggle(command: "disable" | "enable", email: string | undefined, io: StaffCommandIo) {
  if (!email) {
    io.error(`[staff] ${command} needs --email`);
    return 2;
  }
  const account = findStaffByEmail(normaliseStaffEmail(email));
  if (!account) {
    io.error("[staff] no account with this email");
    return 1;
  }
  await setStaffDisabled(account.id, command === "disable", commandLine);
  io.out(`[staff] account ${account.id} ${command}d`);
  return 0;
}
