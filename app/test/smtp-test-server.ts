import net from "node:net";
import { SMTPServer, type SMTPServerAddress } from "smtp-server";

/** One message as the SMTP peer received it, with the parts a test reads decoded. */
export type ReceivedMail = {
  envelopeFrom: string;
  envelopeTo: string[];
  /** Header names in lower case, values unfolded and with encoded words decoded. */
  headers: Record<string, string>;
  subject: string;
  text: string;
  html: string;
  raw: string;
};

export type SmtpTestServerOptions = {
  /** Port to listen on; 0 (the default) picks a free one. Restarts reuse the same port. */
  port?: number;
  /** Reply code to refuse a recipient with, e.g. 550; undefined accepts it. */
  rejectRecipient?: (address: string) => number | undefined;
};

/** A port that was free a moment ago, for configuring a client before its server exists. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * A real SMTP server on 127.0.0.1 that keeps what it receives. stop() and
 * start() simulate an outage: while stopped, connections are refused.
 */
export class SmtpTestServer {
  readonly messages: ReceivedMail[] = [];
  private server: SMTPServer | undefined;
  port: number;

  constructor(private readonly options: SmtpTestServerOptions = {}) {
    this.port = options.port ?? 0;
  }

  async start() {
    const server = new SMTPServer({
      secure: false,
      authOptional: true,
      // The default STARTTLS certificate is self-signed; plain SMTP keeps the test about delivery.
      disabledCommands: ["STARTTLS"],
      logger: false,
      closeTimeout: 200,
      onRcptTo: (address: SMTPServerAddress, _session, callback) => {
        const code = this.options.rejectRecipient?.(address.address);
        if (code === undefined) return callback();
        const error = Object.assign(new Error(`Recipient refused (${code})`), { responseCode: code });
        callback(error);
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
          const envelopeTo = session.envelope.rcptTo.map((rcpt) => rcpt.address);
          this.messages.push(parseMessage(Buffer.concat(chunks), envelopeFrom, envelopeTo));
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.port = (server.server.address() as net.AddressInfo).port;
    this.server = server;
    return this.port;
  }

  async stop() {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Waits until `predicate` holds for at least one message; rejects after `timeoutMs`. */
  async waitForMessage(predicate: (mail: ReceivedMail) => boolean, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching mail within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  to(address: string) {
    return this.messages.filter((mail) => mail.envelopeTo.includes(address));
  }
}

// A minimal MIME reader: enough for what nodemailer produces (multipart,
// quoted-printable, base64, RFC 2047 encoded words). Bytes are handled as
// latin1 strings until a part's charset is known.

function decodeBytes(latin1: string, charset = "utf-8") {
  return new TextDecoder(charset).decode(Buffer.from(latin1, "latin1"));
}

function decodeQuotedPrintable(value: string) {
  return value
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function decodeEncodedWords(value: string) {
  return value
    .replace(/(\?=)\s+(=\?)/g, "$1$2")
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === "B"
        ? new TextDecoder(charset).decode(Buffer.from(text, "base64"))
        : decodeBytes(decodeQuotedPrintable(text.replace(/_/g, " ")), charset),
    );
}

function parameter(headerValue: string, name: string) {
  const match = new RegExp(`${name}="?([^";]+)"?`, "i").exec(headerValue);
  return match?.[1];
}

type Entity = { headers: Record<string, string>; body: string };

function parseEntity(source: string): Entity {
  const separator = source.search(/\r?\n\r?\n/);
  const headerText = separator === -1 ? source : source.slice(0, separator);
  const body = separator === -1 ? "" : source.slice(separator).replace(/^\r?\n\r?\n/, "");
  const headers: Record<string, string> = {};
  for (const line of headerText.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function collectParts(entity: Entity, found: { text?: string; html?: string }) {
  const contentType = entity.headers["content-type"] ?? "text/plain";
  const boundary = parameter(contentType, "boundary");
  if (/^multipart\//i.test(contentType) && boundary) {
    const sections = entity.body.split(`--${boundary}`).slice(1);
    for (const section of sections) {
      if (section.startsWith("--")) break;
      collectParts(parseEntity(section.replace(/^\r?\n/, "")), found);
    }
    return;
  }
  const encoding = (entity.headers["content-transfer-encoding"] ?? "7bit").toLowerCase();
  const bytes =
    encoding === "base64"
      ? Buffer.from(entity.body.replace(/\s+/g, ""), "base64").toString("latin1")
      : encoding === "quoted-printable"
        ? decodeQuotedPrintable(entity.body)
        : entity.body;
  const decoded = decodeBytes(bytes, parameter(contentType, "charset") ?? "utf-8");
  if (/^text\/html/i.test(contentType)) found.html ??= decoded;
  else if (/^text\/plain/i.test(contentType)) found.text ??= decoded;
}

function parseMessage(raw: Buffer, envelopeFrom: string, envelopeTo: string[]): ReceivedMail {
  const entity = parseEntity(raw.toString("latin1"));
  const headers = Object.fromEntries(
    Object.entries(entity.headers).map(([name, value]) => [name, decodeEncodedWords(decodeBytes(value))]),
  );
  const parts: { text?: string; html?: string } = {};
  collectParts(entity, parts);
  return {
    envelopeFrom,
    envelopeTo,
    headers,
    subject: headers.subject ?? "",
    text: parts.text ?? "",
    html: parts.html ?? "",
    raw: raw.toString("utf8"),
  };
}
