import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { renderToString } from "react-dom/server";
import { questionField } from "~/components/likert-question";
import { afterEach, describe, expect, test } from "vitest";
import { z } from "zod";

/**
 * patches/@conform-to+react+1.21.1.patch (decision 035): a field's and a
 * form's metadata is made once per form state and form id, not again on
 * every property read. Rendered on the server, as a part page is.
 */
const require = createRequire(import.meta.url);
const dist = path.dirname(require.resolve("@conform-to/react"));

const originalProxy = globalThis.Proxy;
afterEach(() => {
  globalThis.Proxy = originalProxy;
});

/** Counts the proxies made while `read` runs. */
function proxiesMadeBy<T>(read: () => T): { value: T; made: number } {
  let made = 0;
  globalThis.Proxy = new originalProxy(originalProxy, {
    construct(target, args) {
      made += 1;
      return Reflect.construct(target, args);
    },
  });
  try {
    return { value: read(), made };
  } finally {
    globalThis.Proxy = originalProxy;
  }
}

/** What the action replies when the answer is missing, as a route's parseWithZod and submission.reply() make it. */
const lastResult = parseWithZod(new URLSearchParams({ answer: "" }), {
  schema: z.object({ answer: z.string({ required_error: "required" }) }),
}).reply();

describe("the patched @conform-to/react", () => {
  test("is the copy the app loads, ESM and CommonJS files both patched", () => {
    for (const file of ["context.mjs", "context.js"]) {
      expect(fs.readFileSync(path.join(dist, file), "utf8"), file).toContain("function reuseMetadata(context, create)");
    }
  });

  test("reading a field's properties makes its metadata once, with the values conform has always given", () => {
    const seen: Record<string, { value: unknown; made: number }> = {};
    function Probe({ result }: { result?: SubmissionResult<string[]> }) {
      const [form, fields] = useForm<{ answer: string }>({ id: "probe", lastResult: result, defaultValue: { answer: "3" } });
      const field = fields.answer;
      // What the part page reads of each of its questions' fields.
      seen.field = proxiesMadeBy(() => questionField(field));
      seen.form = proxiesMadeBy(() => ({ id: form.id, errorId: form.errorId, errors: form.errors, status: form.status }));
      return <input id={field.id} name={field.name} defaultValue={field.initialValue} aria-describedby={field.errorId} />;
    }

    const html = renderToString(<Probe />);
    expect(seen.field).toEqual({
      value: { id: "probe-answer", name: "answer", errorId: "probe-answer-error", key: undefined, errors: undefined, initialValue: "3" },
      made: 1,
    });
    // At most once: useForm may already have read the form's metadata while it set up.
    expect(seen.form.made).toBeLessThanOrEqual(1);
    expect(html).toContain('value="3"');

    renderToString(<Probe result={lastResult} />);
    expect(seen.field.value).toMatchObject({ errors: ["required"] });
    expect(seen.field.made).toBe(1);
    expect(seen.form.value).toMatchObject({ id: "probe", status: "error" });
  });
});
