import crypto from "node:crypto";
import { createInstance, type i18n as I18n, type TFunction } from "i18next";
import { RemixI18Next } from "remix-i18next/server";
import { fallbackLanguage, i18nOptions, supportedLanguages, type Language } from "./i18n";
import { resources, staffNamespaces } from "./locales/resources";

/** Detects the preferred locale from Accept-Language; used where the URL has none. */
export const localeDetector = new RemixI18Next({
  detection: {
    supportedLanguages: [...supportedLanguages],
    fallbackLanguage,
    order: ["header"],
  },
});

/** Translations a memoised `t` keeps per language and namespace; past this, lookups are no longer remembered. */
const MEMOISED_STRINGS_MAX = 4000;

/**
 * The memo key of `t(key, options)` when every option is a number or a
 * boolean (`{ count: 3 }`, `{ from: 10, to: 20 }`), else null: text options
 * may carry what a visitor typed (a nickname) and are never remembered.
 */
function numericOptionsId(key: string, options: unknown) {
  if (options === null || typeof options !== "object" || Array.isArray(options)) return null;
  let id = key;
  for (const name in options) {
    const value = (options as Record<string, unknown>)[name];
    if (typeof value !== "number" && typeof value !== "boolean") return null;
    id += `\u0000${name}=${String(value)}`;
  }
  return id;
}

/**
 * `t` remembering the string a key gives, alone (`t("key")`) or with numeric
 * options only: the resources never change at run time, so the answer is the
 * same for every request, and i18next's lookup (options object, key splitting,
 * fallbacks, plurals, interpolation) runs once instead of on every render.
 * Calls with any text option (interpolated names, defaultValue, lng, context)
 * go to i18next each time.
 */
function memoisedT(original: TFunction): TFunction {
  const fixedT = original as unknown as ((...args: unknown[]) => unknown) & Record<"lng" | "lngs" | "ns" | "keyPrefix", unknown>;
  const strings = new Map<string, string>();
  const t = function (key: unknown, ...rest: unknown[]) {
    const id = typeof key !== "string" ? null : rest.length === 0 ? key : rest.length === 1 ? numericOptionsId(key, rest[0]) : null;
    if (id === null) return fixedT(key, ...rest);
    const known = strings.get(id);
    if (known !== undefined) return known;
    const value: unknown = fixedT(key, ...rest);
    if (typeof value === "string" && strings.size < MEMOISED_STRINGS_MAX) strings.set(id, value);
    return value;
  };
  return Object.assign(t, { lng: fixedT.lng, lngs: fixedT.lngs, ns: fixedT.ns, keyPrefix: fixedT.keyPrefix }) as unknown as TFunction;
}

function createLanguageInstance(language: Language) {
  const instance = createInstance();
  // initImmediate: false makes init synchronous because the resources are in memory.
  void instance.init({
    ...i18nOptions,
    lng: language,
    resources,
    ns: Object.keys(resources[language]),
    initImmediate: false,
  });
  // react-i18next's useTranslation asks for a new `t` on every render of every
  // component; one memoised `t` per (language, namespace, key prefix) serves them all.
  const createFixedT = instance.getFixedT.bind(instance);
  const fixedTs = new Map<string, TFunction>();
  instance.getFixedT = ((lng: string | readonly string[] | null, ns?: string | readonly string[] | null, keyPrefix?: string) => {
    const id = `${String(lng)}|${String(ns)}|${keyPrefix ?? ""}`;
    let fixedT = fixedTs.get(id);
    if (!fixedT) {
      fixedT = memoisedT(createFixedT(lng as string, ns as string, keyPrefix));
      fixedTs.set(id, fixedT);
    }
    return fixedT;
  }) as I18n["getFixedT"];
  return instance;
}

/**
 * One read-only i18next instance per language, created at start and shared by
 * all requests: nothing calls changeLanguage on them, so sharing is safe and
 * no request pays for initialisation.
 */
const instances = Object.fromEntries(
  supportedLanguages.map((language) => [language, createLanguageInstance(language)]),
) as Record<Language, I18n>;

export function getI18nInstance(language: Language) {
  return instances[language];
}

export function getFixedT(language: Language, namespace: string | string[] = "common") {
  return instances[language].getFixedT(language, namespace);
}

/** The respondent's pages download no staff text; staff pages get everything. */
export type TranslationArea = "respondent" | "staff";

const isStaffNamespace = (namespace: string) => (staffNamespaces as readonly string[]).includes(namespace);

/** Each language's translations as the JSON the browser fetches, per area, serialised once. */
const translationsJson = Object.fromEntries(
  supportedLanguages.map((language) => [
    language,
    {
      staff: JSON.stringify(resources[language]),
      respondent: JSON.stringify(
        Object.fromEntries(Object.entries(resources[language]).filter(([namespace]) => !isStaffNamespace(namespace))),
      ),
    },
  ]),
) as Record<Language, Record<TranslationArea, string>>;

export function translationsJsonFor(language: Language, area: TranslationArea = "respondent") {
  return translationsJson[language][area];
}

/** Changes whenever a translation changes, so the browser can cache them forever. */
export const translationsVersion = crypto
  .createHash("sha256")
  .update(Object.values(translationsJson).map((areas) => areas.staff).join("\n"))
  .digest("hex")
  .slice(0, 12);
