// The retention purge (`npm run retention`, `-- --dry-run` to only count):
// deletes what every retention rule says is due, writes one audit row with the
// count per rule, and prints one line per rule with its count, never data.
// The server runs the same purge daily; run it with the server's settings.
// It runs the production build, so it works in the container without dev tools.
import path from "node:path";

const dryRun = process.argv.includes("--dry-run");
try {
  const build = await import(path.resolve("build/index.js"));
  const { runRetention, retentionReport, closeDatabase } = build.entry.module;
  const run = await runRetention({ dryRun });
  for (const line of retentionReport(run)) console.log(line);
  closeDatabase();
} catch (error) {
  console.error(`[retention] failed: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
}
