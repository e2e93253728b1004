import { startFakeGemini } from "../app/test/fake-gemini-server";

/**
 * Stand-ins for the third parties the server under test talks to, on the
 * ports playwright.config.ts chose. Each entry starts one and returns how to
 * stop it; add further services (e.g. SMTP) as further entries.
 */
const services: Array<() => Promise<() => Promise<void>>> = [
  async () => {
    const gemini = await startFakeGemini({ port: Number(process.env.E2E_GEMINI_PORT) });
    return () => gemini.close();
  },
];

export default async function globalSetup() {
  const stops = await Promise.all(services.map((start) => start()));
  return async () => {
    await Promise.all(stops.map((stop) => stop()));
  };
}
