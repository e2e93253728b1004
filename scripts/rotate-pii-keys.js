// Re-encrypts all stored PII with the newest key in PII_KEYS (`npm run pii:rotate`).
// Add the new key at the end of PII_KEYS, run this with the same settings as
// the server, then drop the old key. Prints counts only, never values.
// It runs the production build, so it works in the container without dev tools.
import path from "node:path";

const build = await import(path.resolve("build/index.js"));
const report = build.entry.module.rotatePiiKeys();
console.log(`[pii:rotate] newest key: ${report.keyId}`);
for (const [table, rows] of Object.entries(report.rows)) {
  console.log(`[pii:rotate] ${table}: ${rows} row(s) re-encrypted`);
}
console.log(`[pii:rotate] ${report.values} value(s) re-encrypted in total`);
