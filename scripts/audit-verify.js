// Checks the audit log's hash chain (`npm run audit:verify`): prints the row
// count, or the first broken link, and exits 1 when the chain is broken. Run
// it with the same settings as the server (DATA_DIR / DATABASE_PATH).
// It runs the production build, so it works in the container without dev tools.
import path from "node:path";

const build = await import(path.resolve("build/index.js"));
const { verifyAuditChain, auditVerificationReport } = build.entry.module;
const { lines, exitCode } = auditVerificationReport(verifyAuditChain());
for (const line of lines) (exitCode === 0 ? console.log : console.error)(line);
process.exitCode = exitCode;
