import { describe, expect, test } from "vitest";
import { findSessionByKey, saveAnswers, startSession } from "~/assessment/assessment.server";
import { allItemIds } from "~/assessment/questionnaire";
import { SHARE_IMAGE, shareCardSvg, shareImage } from "./share-image.server";
import { createShare, revokeShare } from "./share.server";

const SESSION_NICKNAME = "세션닉네임센티널";

async function completedSession(value = 4) {
  const { key } = await startSession(
    { locale: "ko", nickname: SESSION_NICKNAME },
    { deviceType: "desktop", ipHash: "0011223344556677", userAgent: "Vitest" },
  );
  const session = findSessionByKey(key)!;
  return await saveAnswers(session.id, Object.fromEntries(allItemIds.map((id) => [id, value])));
}

async function sharedSlug(nickname?: string) {
  const session = await completedSession();
  const { slug } = await createShare(session, nickname);
  return { slug, sessionId: session.id };
}

/** Width and height from the PNG's IHDR chunk, after checking the signature. */
function pngSize(png: Buffer) {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.subarray(12, 16).toString("latin1")).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

async function activePng(slug: string, language: "ko" | "en") {
  const image = await shareImage(slug, language);
  if (image.state !== "active") throw new Error(`expected an active share, got ${image.state}`);
  return image.png;
}

const summary = { total: 75, level: "practitioner", parts: { P1: 75, P2: 50, P3: 100 }, percentile: null };
/** The font size of the card's text element that contains `text`. */
function sizeOf(svg: string, text: string) {
  const element = [...svg.matchAll(/<text [^>]*font-size="(\d+)"[^>]*>([^<]*)<\/text>/g)].find((match) => match[2].includes(text));
  return element ? Number(element[1]) : undefined;
}

describe("shareCardSvg", () => {
  test("holds the score, level, part scores and operator in the page's language", () => {
    const korean = shareCardSvg({ nickname: null, summary }, "ko");
    for (const text of ["공유된 AI 역량진단 결과", ">75<", "활용 단계", "AI 이해도", "50점", "100점", "나도 AI 역량을 진단해 보세요"]) {
      expect(korean).toContain(text);
    }
    const english = shareCardSvg({ nickname: null, summary }, "en");
    for (const text of ["A shared AI competency result", "Practitioner", "AI literacy", "50 points"]) {
      expect(english).toContain(text);
    }
    // The test environment's operator (OPERATOR_NAME unset) shows the placeholder that names the setting.
    expect(korean).toContain("OPERATOR_NAME");
  });

  test("names nobody unless the share has a nickname, and escapes the one it has", () => {
    expect(shareCardSvg({ nickname: null, summary }, "ko")).not.toMatch(/님의/);
    const svg = shareCardSvg({ nickname: `<b>&"'`, summary }, "ko");
    expect(svg).toContain("&#60;b&#62;&#38;&#34;&#39;님의 AI 역량진단 결과");
    expect(svg).not.toContain("<b>");
  });

  test("a long nickname shrinks the title, then loses its end behind an ellipsis, keeping the words around it", () => {
    expect(sizeOf(shareCardSvg({ nickname: "짧은닉", summary }, "ko"), "님의")).toBe(56);
    const long = shareCardSvg({ nickname: "가".repeat(40), summary }, "ko");
    expect(long).not.toContain("가".repeat(40));
    expect(long).toMatch(/>가+…님의 AI 역량진단 결과</);
    expect(sizeOf(long, "님의")).toBe(36);
    // Latin is narrower: twenty-five letters fit by shrinking alone.
    const latin = shareCardSvg({ nickname: "abcdefghijklmnopqrstuvwxy", summary }, "en");
    expect(latin).toContain(">abcdefghijklmnopqrstuvwxy&#39;s AI competency result<");
    expect(sizeOf(latin, "competency result")).toBeLessThan(56);
  });
});

describe("shareImage", () => {
  test("renders a 1200×630 PNG with Korean glyphs", async () => {
    const { slug } = await sharedSlug("가나다");
    const png = await activePng(slug, "ko");
    expect(pngSize(png)).toEqual({ width: SHARE_IMAGE.width, height: SHARE_IMAGE.height });
    expect(SHARE_IMAGE).toEqual({ width: 1200, height: 630, type: "image/png" });

    // The same Hangul syllables in another order: if the font had no Hangul,
    // both titles would come out as the same run of blanks or boxes.
    const reordered = await activePng((await sharedSlug("다나가")).slug, "ko");
    expect(reordered.equals(png)).toBe(false);
  });

  test("renders each share's card once per language: repeated and concurrent requests get the cached bytes", async () => {
    const { slug } = await sharedSlug();
    const [first, concurrent] = await Promise.all([activePng(slug, "ko"), activePng(slug, "ko")]);
    expect(concurrent).toBe(first);
    expect(await activePng(slug, "ko")).toBe(first);
    const english = await activePng(slug, "en");
    expect(english).not.toBe(first);
    expect(english.equals(first)).toBe(false);
  });

  test("a revoked share's card stops at once, cached or not", async () => {
    const { slug, sessionId } = await sharedSlug("회수될닉");
    await activePng(slug, "ko");
    expect(await revokeShare(sessionId, slug)).toBe(true);
    expect(await shareImage(slug, "ko")).toEqual({ state: "withdrawn" });
    expect(await shareImage(slug, "en")).toEqual({ state: "withdrawn" });
  });

  test("unknown and malformed slugs are unknown", async () => {
    expect(await shareImage("Q".repeat(24), "ko")).toEqual({ state: "unknown" });
    expect(await shareImage("../secret", "en")).toEqual({ state: "unknown" });
  });
});
