/**
 * Turning what the guide sends into safe DOM: Markdown answers, source links.
 *
 * Nothing a message contains ever runs. Two layers make sure of it:
 * Markdown is parsed with raw HTML escaped (it shows as text), and the
 * result is cleaned by DOMPurify with a short list of allowed tags and
 * attributes. Links open in a new tab without access to this page.
 */

import { Marked } from "../node_modules/marked/lib/marked.esm.js";
import createDOMPurify from "../node_modules/dompurify/dist/purify.es.mjs";

const ALLOWED_TAGS = ["p", "br", "strong", "em", "b", "i", "del", "ul", "ol", "li", "a", "code", "pre",
  "blockquote", "h3", "h4", "hr"];
const ALLOWED_ATTR = ["href", "title"];
/** Longest link text shown for a source; its full address is in the link. */
const MAX_LINK_TEXT = 60;

const markdown = new Marked({ gfm: true, breaks: true, async: false });
markdown.use({
  renderer: {
    // HTML inside a message is shown as the text it is, never as markup.
    html(token) {
      return escapeHtml(token.text);
    },
  },
});

// An instance of our own, so the hook below never affects the host page's DOMPurify.
const purify = createDOMPurify(window);
purify.addHook("afterSanitizeAttributes", (node) => {
  if (node.tagName === "A") {
    node.setAttribute("target", "_blank");
    node.setAttribute("rel", "noopener noreferrer");
  }
});

function escapeHtml(text) {
  return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** A message's Markdown as a sanitised document fragment. */
export function markdownFragment(text) {
  const html = markdown.parse(String(text ?? ""));
  return purify.sanitize(html, { ALLOWED_TAGS, ALLOWED_ATTR, RETURN_DOM_FRAGMENT: true });
}

/** The list of an answer's sources as links, under a label; null if it has none. */
export function sourcesElement(sources, label) {
  const urls = (Array.isArray(sources) ? sources : []).filter(isWebAddress);
  if (!urls.length) return null;
  const block = element("div", "sources");
  block.append(element("span", "sources-label", label));
  const list = element("ul");
  for (const url of urls) {
    const link = element("a", null, linkText(url));
    link.href = url;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    const item = element("li");
    item.append(link);
    list.append(item);
  }
  block.append(list);
  return block;
}

function isWebAddress(value) {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch (error) {
    return false;
  }
}

/** A short, readable form of an address: "bamf.de/DE/Themen/…". */
export function linkText(address) {
  const url = new URL(address);
  const shown = (url.hostname.replace(/^www\./, "") + url.pathname).replace(/\/+$/, "");
  return shown.length > MAX_LINK_TEXT ? `${shown.slice(0, MAX_LINK_TEXT - 1)}…` : shown;
}

/** A new element with an optional class and text (set as text, never as HTML). */
export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}
