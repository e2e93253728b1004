import { GoogleGenerativeAI, type GenerativeModel } from "@google/generative-ai";
import { callIntegration, PermanentIntegrationError } from "~/integrations/call.server";
import { getEnv } from "~/utils/env.server";
import type { ReportContent } from "./report-content";
import {
  buildGeminiRequest,
  parseReportOutput,
  REPORT_DATA_CATEGORIES,
  type ReportPayload,
} from "./report-payload";

let model: GenerativeModel | undefined;

/** One client per process: its settings come from the environment, which is read once. */
function geminiModel() {
  if (!model) {
    const env = getEnv();
    model = new GoogleGenerativeAI(env.GEMINI_API_KEY ?? "").getGenerativeModel(
      { model: env.GEMINI_MODEL },
      { baseUrl: env.GEMINI_BASE_URL },
    );
  }
  return model;
}

/**
 * Asks Gemini for the report through the guarded call path. Returns null
 * whenever the caller should fall back: not configured, switched off, circuit
 * open, failing, too slow, or an answer that is not a valid report.
 */
export async function generateLlmReport(
  payload: ReportPayload,
): Promise<{ content: ReportContent; model: string } | null> {
  const env = getEnv();
  const request = buildGeminiRequest(payload);
  const result = await callIntegration(
    "gemini",
    {
      purpose: "ai_report",
      dataCategories: REPORT_DATA_CATEGORIES,
      // The SDK sends exactly JSON.stringify of this request.
      requestBytes: Buffer.byteLength(JSON.stringify(request)),
      timeoutMs: env.GEMINI_TIMEOUT_MS,
    },
    async (signal) => {
      const { response } = await geminiModel().generateContent(request, { signal });
      let output: string;
      try {
        output = response.text();
      } catch {
        // A blocked or empty candidate: asking again yields the same.
        throw new PermanentIntegrationError("no usable candidate", 200);
      }
      const content = parseReportOutput(output);
      if (!content) throw new PermanentIntegrationError("output is not a valid report", 200);
      return content;
    },
  );
  return result.ok ? { content: result.value, model: env.GEMINI_MODEL } : null;
}
