import { z } from "./zod";

// One rule for every free-text field, run by the browser and by the server
// alike, so a form and the JSON API accept exactly the same text.

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * C0 controls, DEL, C1 controls, the bidi embeddings, overrides and isolates
 * that can reorder displayed text, and U+FFFD: what invalid UTF-8 in a request
 * body decodes to, never something a person types.
 */
const controlOrBidi = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFFFD]/;
const lineBreaks = /\r?\n/g;
const whitespaceOrZeroWidth = /^[\s\u200B-\u200D\u2060\uFEFF]*$/;

/**
 * A surrogate-pair scan rather than `String.prototype.isWellFormed`, which
 * browsers older than 2023 lack; a lone surrogate cannot be stored or mailed.
 */
function hasLoneSurrogate(value: string) {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code >= 0xdc00 && code <= 0xdfff) return true;
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = value.charCodeAt(index + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      index++;
    }
  }
  return false;
}

/** The same characters removed, for text that reaches a mail from rows stored under older rules. */
export function withoutForbiddenCharacters(value: string) {
  return value.replace(new RegExp(controlOrBidi.source, "g"), "");
}

export function hasForbiddenCharacter(value: string, { allowLineBreaks = false } = {}) {
  const checked = allowLineBreaks ? value.replace(lineBreaks, "") : value;
  return controlOrBidi.test(checked) || hasLoneSurrogate(checked);
}

/** Stops counting past the limit, so an oversized value costs no more than the limit. */
function exceedsGraphemeLimit(value: string, limit: number) {
  // Every grapheme is at least one UTF-16 unit.
  if (value.length <= limit) return false;
  let count = 0;
  for (const _ of graphemes.segment(value)) {
    if (++count > limit) return true;
  }
  return false;
}

type FreeTextOptions = {
  /** In user-perceived characters: an emoji or a Hangul syllable typed as jamo counts once. */
  maxLength: number;
  tooLong: string;
  /** Only a multi-line field (the consultation message) takes \n and \r\n. */
  allowLineBreaks?: boolean;
  invalidType?: string;
  forbidden?: string;
};

/**
 * A text field as typed by a person: NFC-normalised, refused if it holds
 * control or bidi characters or lone surrogates, trimmed, and empty when only
 * whitespace or zero-width characters remain. Absent, null (from JSON) and
 * empty are the same: undefined, or the `required` message when one is given.
 */
export function freeText(
  options: FreeTextOptions & { required: string },
): z.ZodType<string, z.ZodTypeDef, string | undefined>;
export function freeText(
  options: FreeTextOptions,
): z.ZodType<string | undefined, z.ZodTypeDef, string | undefined>;
export function freeText({
  maxLength,
  tooLong,
  allowLineBreaks = false,
  invalidType = "validation.textInvalid",
  forbidden = "validation.textForbidden",
  required,
}: FreeTextOptions & { required?: string }): z.ZodTypeAny {
  return z.custom<string | undefined>().transform((input: unknown, context) => {
    const fail = (message: string) => {
      context.addIssue({ code: z.ZodIssueCode.custom, message });
      return z.NEVER;
    };
    if (input !== undefined && input !== null && typeof input !== "string") return fail(invalidType);
    const value = (input ?? "").normalize("NFC");
    if (hasForbiddenCharacter(value, { allowLineBreaks })) return fail(forbidden);
    if (whitespaceOrZeroWidth.test(value)) return required ? fail(required) : undefined;
    const trimmed = value.trim();
    if (exceedsGraphemeLimit(trimmed, maxLength)) return fail(tooLong);
    return trimmed;
  });
}
