/**
 * The AI report as structured data, rendered by our own components (web and
 * PDF). The model's output is validated against this shape; raw HTML never is.
 */
export type ReportContent = {
  /** Overall reading of the respondent's level, one or two paragraphs. */
  summary: string;
  /** One entry per questionnaire part, in questionnaire order. */
  parts: Array<{ partId: string; strengths: string; gaps: string }>;
  /** Three to five concrete next steps. */
  nextSteps: string[];
};

export type StoredReport = {
  locale: "ko" | "en";
  source: "llm" | "fallback";
  model: string | null;
  promptVersion: string;
  content: ReportContent;
  createdAt: Date;
};
