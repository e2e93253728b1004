import { describe, expect, test } from "vitest";
import { z } from "zod";
import * as assessmentSchemas from "~/assessment/schemas";
import { parts } from "~/assessment/questionnaire";
import * as leadSchemas from "~/leads/schemas";
import { resources } from "~/locales/resources";
import * as reportSchemas from "~/reports/schemas";
import * as staffPrivacySchemas from "~/admin/privacy-request-schemas";
import * as cohortSchemas from "~/cohorts/cohort-schemas";
import * as privacyRequestSchemas from "~/privacy/request-schemas";
import * as shareSchemas from "~/shares/schemas";
import { parseFormSubmission } from "./form";

// Every message a schema produces is shown through t(message) in the
// namespace of the page or API using it, so each must be a key in both
// languages there. The API also reads the session key message from
// `assessment` (see parseJsonRequest); pages take the key from the URL.
const sharedAssessmentKeys = new Set(["validation.sessionKeyInvalid"]);

type Namespace = "assessment" | "leads" | "share" | "report" | "privacy-requests" | "admin-privacy" | "admin-cohorts";

/** A key, or `namespace:key` for a message another namespace owns (the staff date fields' in `admin`). */
function translationExists(language: "ko" | "en", namespace: Namespace, key: string) {
  const [owner, path] = key.includes(":") ? (key.split(":") as [keyof (typeof resources)["ko"], string]) : [namespace, key];
  const value = path
    .split(".")
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], resources[language][owner]);
  return typeof value === "string" && value.trim() !== "";
}

function untranslated(namespace: Namespace, messages: string[]) {
  return messages.filter((message) =>
    (["ko", "en"] as const).some(
      (language) =>
        !translationExists(language, namespace, message) &&
        !(sharedAssessmentKeys.has(message) && translationExists(language, "assessment", message)),
    ),
  );
}

const isSchema = (value: unknown): value is z.ZodTypeAny => value instanceof z.ZodType;

function schemasOf(module: Record<string, unknown>) {
  return Object.entries(module).filter((entry): entry is [string, z.ZodTypeAny] => isSchema(entry[1]));
}

const schemas: Array<{ name: string; namespace: Namespace; schema: z.ZodTypeAny }> = [
  ...schemasOf(assessmentSchemas).map(([name, schema]) => ({ name, namespace: "assessment" as const, schema })),
  ...parts.map((part) => ({
    name: `partAnswersSchema(${part.id})`,
    namespace: "assessment" as const,
    schema: assessmentSchemas.partAnswersSchema(part),
  })),
  ...schemasOf(leadSchemas).map(([name, schema]) => ({ name, namespace: "leads" as const, schema })),
  ...schemasOf(shareSchemas).map(([name, schema]) => ({ name, namespace: "share" as const, schema })),
  ...schemasOf(reportSchemas).map(([name, schema]) => ({ name, namespace: "report" as const, schema })),
  ...schemasOf(privacyRequestSchemas).map(([name, schema]) => ({ name, namespace: "privacy-requests" as const, schema })),
  ...schemasOf(staffPrivacySchemas).map(([name, schema]) => ({ name, namespace: "admin-privacy" as const, schema })),
  ...Object.entries(staffPrivacySchemas.requestActionSchemas).map(([intent, schema]) => ({
    name: `requestActionSchemas.${intent}`,
    namespace: "admin-privacy" as const,
    schema: schema as z.ZodTypeAny,
  })),
  ...schemasOf(cohortSchemas).map(([name, schema]) => ({ name, namespace: "admin-cohorts" as const, schema })),
];

/** Every field path of an object schema, nested objects and the answers record included. */
function fieldPaths(schema: z.ZodTypeAny, prefix: string[] = []): string[][] {
  const inner = schema instanceof z.ZodDefault || schema instanceof z.ZodOptional ? schema._def.innerType : schema;
  if (inner instanceof z.ZodObject) {
    return Object.entries(inner.shape as Record<string, z.ZodTypeAny>).flatMap(([key, field]) => [
      [...prefix, key],
      ...fieldPaths(field, [...prefix, key]),
    ]);
  }
  if (inner instanceof z.ZodRecord) return [[...prefix, "P1-1"]];
  return [];
}

function bodyWith(path: string[], value: unknown): unknown {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
}

const hugeString = "가".repeat(100_000);
const wrongValues: unknown[] = [
  5,
  -1,
  3.5,
  0,
  true,
  false,
  null,
  [],
  ["a", "b"],
  [3],
  {},
  { nested: 1 },
  "",
  "   ",
  "\u202E",
  "\u0000",
  "\uD800",
  hugeString,
];

describe.each(schemas)("$name ($namespace)", ({ namespace, schema }) => {
  const issuesFor = (body: unknown) => schema.safeParse(body).error?.issues.map((issue) => issue.message) ?? [];

  test("wrong values for the whole body give only translated messages", () => {
    for (const body of [...wrongValues, undefined]) {
      expect(untranslated(namespace, issuesFor(body)), JSON.stringify(body)?.slice(0, 40)).toEqual([]);
    }
  });

  test("wrong values for every field give only translated messages", () => {
    for (const path of [[], ...fieldPaths(schema)]) {
      for (const value of wrongValues) {
        const body = path.length ? bodyWith(path, value) : value;
        expect(untranslated(namespace, issuesFor(body)), `${path.join(".")} = ${String(value).slice(0, 20)}`).toEqual([]);
      }
    }
  });

  test("what a form can post gives only translated messages", () => {
    const formValues = ["", " ", "\u202E", "x", "0x3", hugeString];
    for (const path of fieldPaths(schema)) {
      const name = path.join(".");
      for (const values of [...formValues.map((value) => [value]), ["a", "b"]]) {
        const formData = new FormData();
        for (const value of values) formData.append(name, value);
        const errors = parseFormSubmission(formData, schema).reply().error ?? {};
        const messages = Object.values(errors).flatMap((list) => list ?? []);
        expect(untranslated(namespace, messages), `${name} = ${values.join(",").slice(0, 20)}`).toEqual([]);
      }
    }
  });
});

test("the schemas checked include every form and API body", () => {
  expect(schemas.map((entry) => entry.name)).toEqual(
    expect.arrayContaining([
      "startSchema",
      "answerApiSchema",
      ...parts.map((part) => `partAnswersSchema(${part.id})`),
      "downloadRequestSchema",
      "consultationRequestSchema",
      "downloadApiSchema",
      "consultationApiSchema",
      "createShareSchema",
      "revokeShareSchema",
      "reportRequestSchema",
      "selfServiceRequestSchema",
      "confirmationSchema",
      "newRequestSchema",
      "requestListSchema",
      "requestActionSchemas.extend",
      "requestActionSchemas.close",
      "requestActionSchemas.rectify",
      "newCohortSchema",
    ]),
  );
});

test("an issue without its own message falls back to the generic key, also through conform", () => {
  expect(reportSchemas.reportRequestSchema.safeParse({ respond: "later" }).error?.issues[0].message).toBe(
    "validation.invalidValue",
  );
  const formData = new FormData();
  formData.append("respond", "later");
  expect(parseFormSubmission(formData, reportSchemas.reportRequestSchema).reply().error).toEqual({
    respond: ["validation.invalidValue"],
  });
  expect(assessmentSchemas.startSchema.safeParse(null).error?.issues[0].message).toBe("validation.invalidValue");
});
