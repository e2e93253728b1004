// Online backup of the SQLite database (`npm run backup`), safe while the server
// runs. Prints the backup's path, size and integrity result only, never data.
// It runs the production build, so it works in the container without dev tools.
import path from "node:path";

try {
  const build = await import(path.resolve("build/index.js"));
  const backup = await build.entry.module.backupDatabase();
  console.log(`[backup] ${backup.path} ${backup.bytes} bytes, integrity ${backup.integrity}`);
} catch (error) {
  console.error(`[backup] failed: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
}
