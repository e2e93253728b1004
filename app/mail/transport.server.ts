import { createTransport, type Transporter } from "nodemailer";
import addressparser from "nodemailer/lib/addressparser";
import type { SMTPSentMessageInfo } from "nodemailer";
import { isIntegrationEnabled } from "~/integrations/registry";
import { getEnv } from "~/utils/env.server";

/**
 * Whether mail can go out at all: SMTP_URL is set and the smtp kill switch is
 * off. When it is false, queued mail waits in the outbox instead of failing.
 */
export function isMailConfigured() {
  return isIntegrationEnabled("smtp", getEnv());
}

let transport: Transporter<SMTPSentMessageInfo> | undefined;

/**
 * One transport per process, from SMTP_URL. Timeouts are far below
 * nodemailer's minutes-long defaults so a hung server fails one attempt
 * quickly instead of holding the worker; options in the URL query still win.
 */
export function getMailTransport() {
  if (!transport) {
    const env = getEnv();
    if (!env.SMTP_URL) throw new Error("SMTP_URL is not set");
    transport = createTransport(
      {
        url: env.SMTP_URL,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      },
      { from: env.MAIL_FROM },
    );
  }
  return transport;
}

let messageIdDomain: string | undefined;

/**
 * A Message-ID fixed per outbox row, so a retry after an unconfirmed send
 * carries the same ID and receiving systems that deduplicate on it can. Its
 * domain is the sender's, so it looks like the sender's own and passes spam checks.
 */
export function outboxMessageId(row: { id: number; createdAt: Date }) {
  if (messageIdDomain === undefined) {
    const [first] = addressparser(getEnv().MAIL_FROM ?? "", { flatten: true });
    messageIdDomain = first?.address?.split("@")[1] || "localhost";
  }
  return `<outbox.${row.id}.${row.createdAt.getTime()}@${messageIdDomain}>`;
}
