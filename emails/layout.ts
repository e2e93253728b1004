/**
 * Building blocks shared by the mail templates. Mail clients ignore <style>
 * blocks and external CSS inconsistently, so every style is inline and the
 * layout is a single table column.
 */
import { brandAccent, brandLogo, logoUrl } from "~/brand/brand.server";
import { isSupportedLanguage } from "~/i18n";
import type { ReceiptLines } from "~/mail/outbox.server";
import { operatorDisplay } from "~/privacy/operator.server";
import { receiptRows } from "~/privacy/receipt-rows";
import { colours, fontFamilyCss, typeScale } from "~/styles/tokens";
import { withoutForbiddenCharacters } from "~/validation/text";

/** Looks up one line of the `email` namespace, already interpolated (unescaped). */
export type Translate = (key: string, variables?: Record<string, string>) => string;

export type RenderedMail = { subject: string; html: string; text: string };

function escapeHtml(value: string) {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** The pages' font stack and light palette (app/styles/tokens.ts); mail clients invert colours on their own. */
const FONT = `font-family:${fontFamilyCss("'")}`;
const colour = colours.light;

/** The pages' type scale on a 16 px body, in whole pixels. */
const size = (step: keyof typeof typeScale) => `font-size:${Math.round(16 * typeScale[step])}px`;

export function paragraph(text: string) {
  return `<p style="margin:0 0 16px;${FONT};${size("base")};line-height:1.6;color:${colour.text}">${escapeHtml(text)}</p>`;
}

/** The call to action in the operator's accent, with the text colour derived for it. */
export function button(url: string, label: string) {
  const accent = brandAccent();
  return (
    `<p style="margin:24px 0"><a href="${escapeHtml(url)}" ` +
    `style="display:inline-block;padding:12px 24px;background:${accent.accent};color:${accent["on-accent"]};${FONT};${size("base")};font-weight:bold;text-decoration:none;border-radius:10px">` +
    `${escapeHtml(label)}</a></p>`
  );
}

/** The bare address as well, for clients that strip buttons and for copy-paste. */
export function linkLine(url: string) {
  return `<p style="margin:0 0 16px;${FONT};${size("sm")};line-height:1.5;word-break:break-all"><a href="${escapeHtml(url)}" style="color:${colour.primary}">${escapeHtml(url)}</a></p>`;
}

function receiptHtml(t: Translate, receipt: ReceiptLines) {
  const rows = receiptRows(receipt).map(
    ({ row, value }) =>
      `<tr><th scope="row" style="padding:6px 12px 6px 0;${FONT};${size("sm")};text-align:left;vertical-align:top;color:${colour.muted};white-space:nowrap">${escapeHtml(t(`receipt.${row}`))}</th>` +
      `<td style="padding:6px 0;${FONT};${size("sm")};line-height:1.5;color:${colour.text}">${escapeHtml(value)}</td></tr>`,
  ).join("");
  return (
    `<div style="margin:32px 0 0;padding:16px;border:1px solid ${colour.border};border-radius:10px;background:${colour["subtle-surface"]}">` +
    `<h2 style="margin:0 0 8px;${FONT};${size("md")};color:${colour.heading}">${escapeHtml(t("receipt.title"))}</h2>` +
    `<table role="presentation" cellpadding="0" cellspacing="0" style="border-collapse:collapse">${rows}</table>` +
    `<p style="margin:8px 0 0;${FONT};${size("xs")};line-height:1.5;color:${colour.muted}">${escapeHtml(t("receipt.keep"))}</p></div>`
  );
}

function receiptText(t: Translate, receipt: ReceiptLines) {
  return [
    `[${t("receipt.title")}]`,
    ...receiptRows(receipt).map(({ row, value }) => `${t(`receipt.${row}`)}: ${value}`),
    t("receipt.keep"),
  ].join("\n");
}

/**
 * The closing lines of every mail: the mail's own, then who runs the service
 * and where privacy questions go (PIPA art. 30), as configured when it is sent.
 */
export function mailFooter(t: Translate, lang: string, lines: string[]) {
  const operator = operatorDisplay(isSupportedLanguage(lang) ? lang : "ko");
  return [...lines, t("footer.operator", { operator: operator.name, contact: operator.contact })];
}

export function htmlDocument(options: {
  lang: string;
  title: string;
  preheader: string;
  body: string;
  footer: string[];
}) {
  const footer = options.footer
    .map(
      (line) =>
        `<p style="margin:0 0 8px;${FONT};${size("xs")};line-height:1.5;color:${colour.muted}">${escapeHtml(line)}</p>`,
    )
    .join("");
  const logo = brandLogo();
  // Absolute, from PUBLIC_URL, as every link in a mail; PNG, which every client draws.
  const logoRow = logo
    ? `<tr><td style="padding:28px 28px 0"><img src="${escapeHtml(logoUrl(logo, "png", { absolute: true }))}" ` +
      `alt="${escapeHtml(operatorDisplay(isSupportedLanguage(options.lang) ? options.lang : "ko").name)}" ` +
      `height="40" width="${Math.round((40 * logo.width) / logo.height)}" style="display:block;height:40px;width:auto;border:0"></td></tr>\n`
    : "";
  return `<!DOCTYPE html>
<html lang="${escapeHtml(options.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
</head>
<body style="margin:0;padding:0;background:${colour.background}">
<div style="display:none;max-height:0;overflow:hidden">${escapeHtml(options.preheader)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:${colour.background}">
<tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;background:${colour.surface};border-radius:16px">
${logoRow}<tr><td style="padding:32px 28px">
${options.body}
</td></tr>
<tr><td style="padding:0 28px 28px">
${footer}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}

export function textDocument(blocks: string[]) {
  return `${blocks.filter(Boolean).join("\n\n")}\n`;
}

/**
 * Mail clients turn anything that looks like an address into a link, and the
 * name is the only text in a mail that a stranger typed: a "name" such as
 * `Kim, verify at evil.example` would make our mail carry their link.
 */
const LINK_LIKE = /:\/\/|www\.|@|[\p{L}\p{N}-]\.[\p{L}\p{N}-]{2,}/iu;

/** The requester's name as a greeting may show it: control and bidi characters removed, nothing link-like. */
export function greetingName(name: string | null) {
  const cleaned = name && withoutForbiddenCharacters(name).trim();
  return cleaned && !LINK_LIKE.test(cleaned) ? cleaned : null;
}

/** A mail to a person: greeting, the mail's own blocks and the closing lines; `key` names its subject and preheader. */
function personalMail(t: Translate, lang: string, key: string, greeting: string, blocks: { html: string[]; text: string[] }): RenderedMail {
  const subject = t(`${key}.subject`);
  const footer = mailFooter(t, lang, [t("footer.notYou"), t("footer.automated")]);
  return {
    subject,
    html: htmlDocument({
      lang,
      title: subject,
      preheader: t(`${key}.preheader`),
      body: [paragraph(greeting), ...blocks.html].join("\n"),
      footer,
    }),
    text: textDocument([greeting, ...blocks.text, footer.join("\n")]),
  };
}

/**
 * A mail to a requester: a greeting (by name when they gave one), the mail's
 * own blocks, their consent receipt with the link that withdraws it, and the
 * closing lines. `key` names the mail's texts in the `email` namespace
 * (`<key>.subject`, `<key>.preheader`). Mails queued before withdrawal links
 * existed have none.
 */
export function requesterMail(
  t: Translate,
  lang: string,
  key: string,
  variables: { name: string | null; receipt: ReceiptLines; withdrawUrl?: string },
  blocks: { html: string[]; text: string[] },
): RenderedMail {
  const name = greetingName(variables.name);
  const withdrawal = variables.withdrawUrl
    ? {
        html: [paragraph(t("receipt.withdrawLink")), linkLine(variables.withdrawUrl)],
        text: [`${t("receipt.withdrawLink")}\n${variables.withdrawUrl}`],
      }
    : { html: [], text: [] };
  return personalMail(t, lang, key, name ? t("greeting", { name }) : t("greetingAnonymous"), {
    html: [...blocks.html, receiptHtml(t, variables.receipt), ...withdrawal.html],
    text: [...blocks.text, receiptText(t, variables.receipt), ...withdrawal.text],
  });
}

/** A mail about a privacy request: the sender does not know the person's name, only their address. */
export function subjectMail(t: Translate, lang: string, key: string, blocks: { html: string[]; text: string[] }) {
  return personalMail(t, lang, key, t("greetingAnonymous"), blocks);
}
