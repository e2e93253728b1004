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
});
