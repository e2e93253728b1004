import { startFakeGemini } from "../app/test/fake-gemini-server";

/**
 * The fake Gemini the server under test calls, on the port playwright.config.ts
 * chose. SMTP is not started here: e2e/mail.no-js-only.spec.ts starts it itself,
 * after an outage.
 */
export default async function globalSetup() {
  const gemini = await startFakeGemini({ port: Number(process.env.E2E_GEMINI_PORT) });
  return () => gemini.close();
}
