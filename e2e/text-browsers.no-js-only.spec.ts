import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test, type Page } from "@playwright/test";
import { completeAssessment, startAssessment } from "./helpers";

// Real text browsers against the e2e server: lynx (Debian's `lynx`) driven by a
// keystroke script, w3m (`w3m`) by its dump. English pages: lynx's saved copy
// of a page garbles the form lines of double-width Korean text.

const run = promisify(execFile);
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "text-browsers-"));
// Numbered links and fields, so a script can go to field N with "Ng": the
// keystroke scripts below do not depend on how many links precede a form.
const lynxConfig = path.join(workDir, "lynx.cfg");
fs.writeFileSync(lynxConfig, "DEFAULT_KEYPAD_MODE:LINKS_AND_FIELDS_ARE_NUMBERED\nCHARACTER_SET:utf-8\n");
// No ~/.lynxrc or cookie file of whoever runs the tests.
const lynxEnv = { ...process.env, HOME: workDir, TERM: "vt100", LANG: "C.UTF-8" };

/** What lynx -dump shows, numbered as the interactive session numbers it. */
async function lynxDump(url: string) {
  const { stdout } = await run("lynx", [`-cfg=${lynxConfig}`, "-dump", "-number_fields", "-width=200", url], {
    env: lynxEnv,
  });
  return stdout;
}

let sessions = 0;

/**
 * Opens `url` in an interactive lynx (on a pseudo-terminal from `script`),
 * activates the numbered fields in order (a radio is checked, a button
 * pressed) and returns the page lynx shows afterwards, as lynx saves it.
 */
async function lynxActivate(url: string, fields: number[]) {
  sessions += 1;
  const saved = path.join(workDir, `page-${sessions}.txt`);
  const keys = [
    ...fields.flatMap((field) => [...String(field), "g", "^J", "^J"]),
    // Print, "Save to a local file", clear the suggested name, type ours.
    "p",
    "^J",
    "^U",
    ...saved,
    "^J",
  ];
  const script = path.join(workDir, `keys-${sessions}.txt`);
  fs.writeFileSync(script, `${keys.map((key) => `key ${key}`).join("\n")}\nexit\n`);
  const command = `lynx -cfg=${lynxConfig} -cmd_script=${script} '${url}'`;
  await run("script", ["-qec", command, "/dev/null"], { env: lynxEnv, timeout: 30_000 });
  return fs.readFileSync(saved, "utf8");
}

/** The dump's numbered radios per question (6: "not answered", then 1–5) and the submit button's number. */
function partFields(dump: string, buttonLabel: string) {
  const radios = Array.from(dump.matchAll(/\[(\d+)\]\((\*| )\) (Not answered|\d)/g), (match) => ({
    field: Number(match[1]),
    checked: match[2] === "*",
    value: match[3],
  }));
  const questions = [];
  for (let index = 0; index < radios.length; index += 6) questions.push(radios.slice(index, index + 6));
  const button = new RegExp(`\\(\\[(\\d+)\\]BUTTON\\) ${buttonLabel}`).exec(dump);
  return { questions, button: Number(button?.[1]) };
}

async function checkedAnswers(page: Page, partPath: string) {
  await page.goto(partPath);
  return page.locator("input[type=radio]:checked").evaluateAll((inputs) =>
    inputs.map((input) => `${(input as HTMLInputElement).name}=${(input as HTMLInputElement).value}`),
  );
}

test("lynx: a skipped question arrives unanswered, never as the 1 lynx pre-checks; answering all moves on", async ({
  page,
  baseURL,
}) => {
  const basePath = await startAssessment(page, "en");
  const partUrl = `${baseURL}${basePath}/part/1`;

  const dump = await lynxDump(partUrl);
  const { questions, button } = partFields(dump, "Next part");
  expect(questions).toHaveLength(4);
  for (const options of questions) {
    // Lynx checks the first radio of a group with none checked: "not answered", not "1".
    expect(options.map(({ value }) => value)).toEqual(["Not answered", "1", "2", "3", "4", "5"]);
    expect(options.map(({ checked }) => checked)).toEqual([true, false, false, false, false, false]);
  }
  // Words that CSS alone kept apart are apart in plain text too.
  expect(dump).toContain("Question 1 I can explain how generative AI");
  expect(dump).toMatch(/\) 1 Strongly disagree/);

  // One question of four answered, the rest skipped: refused, nothing saved.
  const refused = await lynxActivate(partUrl, [questions[1][4].field, button]);
  expect(refused).toContain("Some questions are not answered yet.");
  for (const number of [1, 3, 4]) expect(refused).toContain(`Question ${number}: Please choose an answer.`);
  expect(refused).not.toContain("Question 2: Please choose an answer.");
  expect(await checkedAnswers(page, `${basePath}/part/2`)).toEqual([]);
  await expect(page).toHaveURL(`${basePath}/part/1`);

  // Every question answered: lynx moves on to part 2 and the answers are saved.
  const next = await lynxActivate(partUrl, [
    questions[0][5].field,
    questions[1][4].field,
    questions[2][3].field,
    questions[3][1].field,
    button,
  ]);
  expect(next).toContain("Part 2 of 3");
  expect(await checkedAnswers(page, `${basePath}/part/1`)).toEqual(["P1-1=5", "P1-2=4", "P1-3=3", "P1-4=1"]);
});

test("lynx: the result page's report button posts and the report appears; scores read apart from their names", async ({
  page,
  baseURL,
}) => {
  const basePath = await completeAssessment(page, "en");
  const resultUrl = `${baseURL}${basePath}/result`;
  const dump = await lynxDump(resultUrl);
  expect(dump).toMatch(/AI literacy 75 points/);
  // The level ladder and the part chart read as text: the chart's words apart, its numbers as a table.
  expect(dump).toMatch(/Practitioner 60–79 points You are here/);
  expect(dump).toContain("Organisational and responsible-AI readiness 75 points");
  expect(dump).not.toMatch(/andresponsible/);
  // Lynx labels a button by its value when it has one, else "BUTTON": this one has none.
  const button = /\(\[(\d+)\]BUTTON\) Generate my report/.exec(dump);
  expect(button, dump).not.toBeNull();

  const shown = await lynxActivate(resultUrl, [Number(button![1])]);
  expect(shown).toContain("Overall reading");
  expect(shown).toContain("Next steps");
  expect(shown).not.toContain("Generate my report");
});

test("w3m: radios start unchecked (an untouched group sends nothing) and words are apart", async ({ page, baseURL }) => {
  const basePath = await startAssessment(page, "en");
  const { stdout } = await run("w3m", ["-dump", "-cols", "200", `${baseURL}${basePath}/part/1`], {
    env: { ...process.env, HOME: workDir },
  });
  expect(stdout).not.toContain("(*)");
  expect(stdout).toContain("Question 1 I can explain how generative AI");
  expect(stdout).toContain("( ) Not answered ( ) 1 Strongly disagree ( ) 2 Disagree");
});
