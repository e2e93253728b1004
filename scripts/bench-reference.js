// The ceiling for `npm run bench`: plain React renderToString on node:http,
// rendering the same markup as the app's pages. The bench hands it the HTML
// the app served (a JSON file: { name: html }); each page is parsed once into
// an element description, and every request builds the React elements from it
// and renders them to a string, as a component tree of the same shape would.
// GET /<name> answers the document; GET /<name>?gzip compressed as the app
// compresses a rendered page for a browser (gzip level 1, decision 035), to
// show what compression alone costs.
// Usage: NODE_ENV=production node scripts/bench-reference.js <pages.json> <port>
import fs from "node:fs";
import http from "node:http";
import zlib from "node:zlib";
import { createElement } from "react";
import { renderToString } from "react-dom/server";

const VOID = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]);
const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

function decodeEntities(text) {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, entity) => {
    if (entity[0] === "#") return String.fromCodePoint(entity[1] === "x" || entity[1] === "X" ? parseInt(entity.slice(2), 16) : Number(entity.slice(1)));
    return ENTITIES[entity] ?? whole;
  });
}

function styleObject(style) {
  const object = {};
  for (const declaration of style.split(";")) {
    const colon = declaration.indexOf(":");
    if (colon === -1) continue;
    const name = declaration.slice(0, colon).trim();
    object[name.startsWith("--") ? name : name.replace(/-([a-z])/g, (_, letter) => letter.toUpperCase())] = declaration.slice(colon + 1).trim();
  }
  return object;
}

const PROP_NAMES = { class: "className", for: "htmlFor", novalidate: "noValidate", readonly: "readOnly", autofocus: "autoFocus" };
/** React writes these as `name=""` when true. */
const BOOLEAN = new Set(["async", "defer", "checked", "disabled", "required", "noValidate", "novalidate", "hidden", "selected", "multiple", "readOnly", "open", "autoFocus"]);

/** The markup React produced, as nested [tag, props, children] (strings for text); comments dropped. */
export function parseHtml(html) {
  const root = { tag: null, props: {}, children: [] };
  const stack = [root];
  let at = 0;
  const text = (value) => value && stack.at(-1).children.push(decodeEntities(value));
  while (at < html.length) {
    const open = html.indexOf("<", at);
    if (open === -1) {
      text(html.slice(at));
      break;
    }
    text(html.slice(at, open));
    if (html.startsWith("<!--", open)) {
      at = html.indexOf("-->", open) + 3;
      continue;
    }
    if (html.startsWith("<!", open)) {
      at = html.indexOf(">", open) + 1;
      continue;
    }
    const close = html.indexOf(">", open);
    const tagText = html.slice(open + 1, close);
    if (tagText.startsWith("/")) {
      stack.pop();
      at = close + 1;
      continue;
    }
    const name = /^[\w-]+/.exec(tagText)[0];
    const props = {};
    for (const [, attribute, , value] of tagText.slice(name.length).matchAll(/([^\s=/]+)(="([^"]*)")?/g)) {
      const propName = PROP_NAMES[attribute] ?? attribute;
      props[propName] = value === undefined || (value === "" && BOOLEAN.has(propName)) ? true : attribute === "style" ? styleObject(decodeEntities(value)) : decodeEntities(value);
    }
    const element = { tag: name, props, children: [] };
    stack.at(-1).children.push(element);
    at = close + 1;
    if (name === "script" || name === "style") {
      const end = html.indexOf(`</${name}>`, at);
      element.props.dangerouslySetInnerHTML = { __html: html.slice(at, end) };
      at = end + name.length + 3;
    } else if (!VOID.has(name) && !tagText.endsWith("/")) {
      stack.push(element);
    }
  }
  return root.children;
}

function toElements(nodes) {
  return nodes.map((node, index) =>
    typeof node === "string" ? node : createElement(node.tag, { key: index, ...node.props }, ...(node.children.length ? toElements(node.children) : [])),
  );
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  const [pagesFile, port] = process.argv.slice(2);
  const pages = new Map(Object.entries(JSON.parse(fs.readFileSync(pagesFile, "utf8"))).map(([name, html]) => [name, parseHtml(html)]));
  const server = http.createServer((req, res) => {
    const [pathname, query] = (req.url ?? "/").split("?");
    const page = pages.get(pathname.slice(1));
    if (!page) {
      res.statusCode = 404;
      res.end();
      return;
    }
    const html = `<!DOCTYPE html>${renderToString(toElements(page))}`;
    res.setHeader("Content-Type", "text/html; charset=utf-8");
    if (query === "gzip") {
      const body = zlib.gzipSync(html, { level: 1 });
      res.setHeader("Content-Encoding", "gzip");
      res.end(body);
      return;
    }
    res.end(html);
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(port), "127.0.0.1", () => console.log("listening"));
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
}
