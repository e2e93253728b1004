import { GoogleGenerativeAI } from "@google/generative-ai";
import { asc } from "drizzle-orm";
import { afterAll } from "vitest";
import { integrationTransferLog } from "#db/schema";
import { startFakeGemini } from "~/test/fake-gemini-server";
import { getDb } from "~/utils/db.server";

/** Every transfer-log row of this test file's database, oldest first. */
export function transferRows() {
  return getDb().select().from(integrationTransferLog).orderBy(asc(integrationTransferLog.id)).all();
}

/**
 * A fake Gemini for one test file, closed after it, with the app configured to
 * call it. getEnv() reads `env` on first use, so call this before any test runs.
 */
export async function useFakeGemini(env: Record<string, string> = {}) {
  const gemini = await startFakeGemini();
  Object.assign(process.env, { GEMINI_API_KEY: "test-key", GEMINI_BASE_URL: gemini.url, ...env });
  afterAll(() => gemini.close());
  return gemini;
}

/** An SDK client of its own, for calling a fake Gemini through callIntegration directly. */
export function geminiModelAt(url: string) {
  return new GoogleGenerativeAI("test-key").getGenerativeModel({ model: "gemini-test" }, { baseUrl: url });
}
