import { SchemaType, type GenerateContentRequest, type ResponseSchema } from "@google/generative-ai";
import { z } from "zod";
import type { AnswerMap } from "#db/schema";
import type { Benchmark } from "~/assessment/benchmark.server";
import { allItemIds, parts, questionnaire, scale, type LevelId } from "~/assessment/questionnaire";
import type { Scores } from "~/assessment/scoring";
import type { Language } from "~/i18n";
import { getFixedT } from "~/i18n.server";
import type { DataCategory } from "~/integrations/registry";
import type { ReportContent } from "./report-content";

/** Stored with every model-written report; bump it whenever the prompt or schema changes. */
export const PROMPT_VERSION = "report-v1";

/** What the payload carries, as declared to the integration registry and the transfer log. */
export const REPORT_DATA_CATEGORIES: DataCategory[] = [
  "locale",
  "assessment_scores",
  "benchmark_figures",
  "answer_values",
];

/**
 * Everything the model may learn about a respondent. Built field by field from
 * scores and answers, so nothing else a session holds (nickname, IP hash,
 * User-Agent, UTM, referrer, key) can reach it.
 */
export type ReportPayload = {
  locale: Language;
  level: LevelId;
  totalScore: number;
  partScores: Record<string, number>;
  benchmark: {
    cohortSize: number;
    percentile: number | null;
    partAverages: Record<string, number> | null;
  };
  answers: Record<string, number>;
};

export function buildReportPayload(
  locale: Language,
  session: { answers: AnswerMap },
  result: Scores & { benchmark: Benchmark },
): ReportPayload {
  const averages = result.benchmark.partAverages;
  return {
    locale,
    level: result.level,
    totalScore: result.total,
    partScores: Object.fromEntries(parts.map((part) => [part.id, result.parts[part.id]])),
    benchmark: {
      cohortSize: result.benchmark.cohortSize,
      percentile: result.benchmark.available ? result.benchmark.percentile : null,
      partAverages: averages
        ? Object.fromEntries(parts.map((part) => [part.id, averages[part.id]]))
        : null,
    },
    answers: Object.fromEntries(allItemIds.map((id) => [id, session.answers[id]])),
  };
}

const languageNames: Record<Language, string> = {
  ko: "Korean (polite 합니다체)",
  en: "English",
};

/** The model's instructions: static questionnaire content only, no respondent data. */
function buildInstructions(locale: Language) {
  const tq = getFixedT(locale, "questionnaire");
  const questionnaireText = parts
    .map((part) =>
      [
        `Part ${part.id} "${tq(`parts.${part.id}.title`)}": ${tq(`parts.${part.id}.description`)}`,
        ...part.items.map((id) => `  - ${id}: ${tq(`items.${id}`)}`),
      ].join("\n"),
    )
    .join("\n");
  const scaleText = Array.from(
    { length: scale.max - scale.min + 1 },
    (_, index) => `${scale.min + index} = ${tq(`scale.${scale.min + index}`)}`,
  ).join(", ");
  const levelText = questionnaire.levels
    .map((level) => `${level.id} "${tq(`levels.${level.id}.name`)}" (from ${level.minScore} points)`)
    .join(", ");

  return [
    "You are an AI-competency coach. Write a short, personal report for one respondent of a",
    "12-question self-assessment of AI competency, based only on the data in the next message part.",
    `Write every text in ${languageNames[locale]}.`,
    "",
    "The questionnaire (statements rated on a scale of",
    `${scaleText}):`,
    questionnaireText,
    "",
    `Part scores and the total score run from 0 to 100. Levels: ${levelText}.`,
    "The data: locale, level, totalScore, partScores, benchmark (cohortSize = respondents so far;",
    "percentile and partAverages are null while the cohort is too small to compare) and answers",
    "(the rating given to each statement).",
    "",
    "Return JSON only, following the response schema:",
    "- summary: 2 to 4 sentences reading the overall level, referring to the scores and, when",
    "  available, the benchmark.",
    `- parts: exactly one entry per part (${parts.map((part) => part.id).join(", ")}), each with`,
    "  strengths and gaps of 1 to 3 sentences grounded in the answers to that part's statements.",
    "- nextSteps: 3 to 5 concrete, practical actions for the coming weeks, most important first,",
    "  one sentence each.",
    "Plain text only: no Markdown, no HTML, no list numbering, no greetings, no names.",
    "Do not invent facts about the respondent beyond the data.",
  ].join("\n");
}

const instructions = new Map<Language, string>();

/** The instructions depend on the language alone: built once per language and process. */
function instructionsFor(locale: Language) {
  let text = instructions.get(locale);
  if (text === undefined) {
    text = buildInstructions(locale);
    instructions.set(locale, text);
  }
  return text;
}

const plainString: ResponseSchema = { type: SchemaType.STRING };

const responseSchema: ResponseSchema = {
  type: SchemaType.OBJECT,
  properties: {
    summary: plainString,
    parts: {
      type: SchemaType.ARRAY,
      minItems: parts.length,
      maxItems: parts.length,
      items: {
        type: SchemaType.OBJECT,
        properties: {
          partId: { type: SchemaType.STRING, format: "enum", enum: parts.map((part) => part.id) },
          strengths: plainString,
          gaps: plainString,
        },
        required: ["partId", "strengths", "gaps"],
      },
    },
    nextSteps: { type: SchemaType.ARRAY, minItems: 3, maxItems: 5, items: plainString },
  },
  required: ["summary", "parts", "nextSteps"],
};

/**
 * The whole generateContent body. The payload is its own text part, so what
 * the model is told and what it is told about stay visibly separate.
 */
export function buildGeminiRequest(payload: ReportPayload): GenerateContentRequest {
  return {
    contents: [
      {
        role: "user",
        parts: [{ text: instructionsFor(payload.locale) }, { text: JSON.stringify(payload) }],
      },
    ],
    // The SDK sends its (empty) default anyway; naming it keeps the logged size equal to the bytes sent.
    safetySettings: [],
    generationConfig: {
      responseMimeType: "application/json",
      responseSchema,
      temperature: 0.4,
      maxOutputTokens: 2048,
    },
  };
}

/**
 * Model text is rendered by our components as text, but it also goes into the
 * PDF and may contain markup or control characters: keep words only.
 */
function cleanText(value: string) {
  return value
    .replace(/<[^>]*>/g, "")
    .replace(/\*\*|__|`+/g, "")
    .replace(/^#+\s*/gm, "")
    .replace(/[\u0000-\u0009\u000B-\u001F\u007F]/g, " ")
    .replace(/[ \u00A0]{2,}/g, " ")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

const text = (max: number) =>
  z.string().transform(cleanText).pipe(z.string().min(1).max(max));

/** A step's own numbering would double ours. */
const step = z
  .string()
  .transform((value) => value.replace(/^\s*(?:\d+[.)]|[-•·])\s*/, ""))
  .pipe(text(400));

const partIds = parts.map((part) => part.id);

const reportContentSchema = z.object({
  summary: text(2000),
  parts: z
    .array(z.object({ partId: z.string(), strengths: text(1000), gaps: text(1000) }))
    .refine(
      (entries) =>
        entries.length === partIds.length &&
        partIds.every((id) => entries.filter((entry) => entry.partId === id).length === 1),
      "exactly one entry per part",
    )
    .transform((entries) => partIds.map((id) => entries.find((entry) => entry.partId === id)!)),
  nextSteps: z.array(step).min(3).max(5),
}) satisfies z.ZodType<ReportContent, z.ZodTypeDef, unknown>;

/** The model's answer as a report, or null for anything that is not the expected JSON. */
export function parseReportOutput(output: string): ReportContent | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(output);
  } catch {
    return null;
  }
  const result = reportContentSchema.safeParse(parsed);
  return result.success ? result.data : null;
}
