// Restores a backup (`npm run restore -- <file>`) with the server stopped:
// checks it, puts it in place of DATABASE_PATH, migrates it and re-applies the
// erasure ledger, so nothing erased since the backup comes back. Prints paths
// and counts only; exits 1 on any failure. Run it with the server's settings.
// It runs the production build, so it works in the container without dev tools.
import path from "node:path";

const [file, ...rest] = process.argv.slice(2);
if (!file || rest.length > 0) {
  console.error("usage: npm run restore -- <backup file>");
  process.exit(2);
}
try {
  const build = await import(path.resolve("build/index.js"));
  const { restoreDatabase, restoreReport, closeDatabase } = build.entry.module;
  const result = await restoreDatabase(file);
  for (const line of restoreReport(file, result)) console.log(line);
  closeDatabase();
} catch (error) {
  console.error(`[restore] failed: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
}
