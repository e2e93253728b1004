import { getEnv } from "./utils/env.server";
import { migrateDatabase } from "./utils/db.server";

/**
 * Runs once in the server's primary process before any worker starts:
 * validates configuration (failing fast), creates missing secrets, migrates.
 */
export function prepareServer() {
  const env = getEnv();
  for (const name of env.generatedSecrets) {
    console.warn(
      `[config] ${name} was not set; generated one into ${env.DATA_DIR}. ` +
        `Set ${name} explicitly in production and keep it backed up.`,
    );
  }
  migrateDatabase(env.DATABASE_PATH);
  return serverSettings();
}

/** What an HTTP worker needs to listen; workers start after prepareServer has run. */
export function serverSettings() {
  const env = getEnv();
  return {
    port: env.PORT,
    host: env.HOST,
    workers: env.WEB_CONCURRENCY,
    production: env.NODE_ENV === "production",
  };
}
