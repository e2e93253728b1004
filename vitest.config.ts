import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: { "~": path.resolve("app"), "#db": path.resolve("db") },
  },
  test: {
    include: ["app/**/*.test.{ts,tsx}", "db/**/*.test.ts", "scripts/**/*.test.ts"],
    globalSetup: ["./app/test/global-setup.ts"],
    setupFiles: ["./app/test/setup-test-env.ts"],
    pool: "forks",
    testTimeout: 60_000,
    // Integration tests start the production build in beforeAll; on a busy machine that takes a while.
    hookTimeout: 60_000,
  },
});
