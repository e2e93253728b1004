import { createInstance } from "i18next";
import { describe, expect, test, vi } from "vitest";
import { i18nOptions, supportedLanguages, type Language } from "./i18n";
import { getFixedT, getI18nInstance } from "./i18n.server";
import { resources } from "./locales/resources";

/** Every leaf key of a namespace, in i18next's dotted form (plural forms included as they are stored). */
function leafKeys(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => leafKeys(child, prefix ? `${prefix}.${key}` : key));
}

function plainInstance(language: Language) {
  const instance = createInstance();
  void instance.init({ ...i18nOptions, lng: language, resources, ns: Object.keys(resources[language]), initImmediate: false });
  return instance;
}

describe("the shared per-language `t` (decision 033)", () => {
  test("gives exactly what plain i18next gives, for every key of every namespace, asked twice", () => {
    for (const language of supportedLanguages) {
      const plain = plainInstance(language);
      for (const [namespace, tree] of Object.entries(resources[language])) {
        const t = getFixedT(language, namespace);
        const reference = plain.getFixedT(language, namespace);
        for (const key of leafKeys(tree)) {
          const expected = reference(key);
          expect(t(key), `${language} ${namespace}:${key}`).toBe(expected);
          expect(t(key), `${language} ${namespace}:${key} again`).toBe(expected);
        }
        // Calls with options still interpolate each time.
        expect(t("missing.key.for.test", { defaultValue: "{{n}} left", n: 3 })).toBe("3 left");
        expect(t("missing.key.for.test", { defaultValue: "{{n}} left", n: 4 })).toBe("4 left");
      }
    }
  });

  test("one `t` per language and namespace, whose plain lookups reach i18next once", () => {
    const instance = getI18nInstance("ko");
    // What react-i18next's useTranslation asks for on every render.
    const first = instance.getFixedT(null, "common");
    expect(instance.getFixedT(null, "common")).toBe(first);
    expect(instance.getFixedT(null, "assessment")).not.toBe(first);
    expect(getFixedT("en", "common")).not.toBe(getFixedT("ko", "common"));

    const translate = vi.spyOn(instance, "t");
    try {
      const key = "skipToContent";
      const value = first(key);
      const calls = translate.mock.calls.length;
      expect(first(key)).toBe(value);
      expect(instance.getFixedT(null, "common")(key)).toBe(value);
      expect(translate.mock.calls.length).toBe(calls);
    } finally {
      translate.mockRestore();
    }
  });

  test("numeric options are remembered per value, text options never", () => {
    const instance = getI18nInstance("en");
    // Any plural key of the English resources, e.g. "… respondent" / "… respondents".
    const [namespace, key] = Object.entries(resources.en)
      .flatMap(([ns, tree]) => leafKeys(tree).map((leaf) => [ns, leaf] as const))
      .find(([, leaf]) => leaf.endsWith("_one"))!
      .map((part, index) => (index === 1 ? part.slice(0, -"_one".length) : part));
    const t = getFixedT("en", namespace);
    const plain = plainInstance("en").getFixedT("en", namespace);
    const translate = vi.spyOn(instance, "t");
    try {
      for (const count of [1, 2, 1, 2, 1]) {
        expect(t(key, { count })).toBe(plain(key, { count }));
      }
      expect(t(key, { count: 1 })).not.toBe(t(key, { count: 2 }));
      // Two counts reached i18next; the repeats did not.
      expect(translate.mock.calls.length).toBe(2);
      expect(t("missing.key.for.test", { defaultValue: "Hi {{name}}", name: "Sky" })).toBe("Hi Sky");
      expect(t("missing.key.for.test", { defaultValue: "Hi {{name}}", name: "Sky" })).toBe("Hi Sky");
      expect(translate.mock.calls.length).toBe(4);
    } finally {
      translate.mockRestore();
    }
  });
});
