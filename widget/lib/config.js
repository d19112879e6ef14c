/**
 * The embedding page's settings for the widget, checked and completed with defaults.
 *
 * A page sets `window.WelcomeGuideConfig` before the widget's script tag:
 *
 *   { serverUrl: "https://guide.example.org",   // default: where widget.js was loaded from
 *     language: "de",                            // first language of the labels; default: the browser's
 *     title: "Welcome Center Stuttgart",        // default: the guide's title in the conversation language
 *     colors: { primary: "#00577a", onPrimary: "#fff", background: "#fff", text: "#1d1d1f",
 *               botBubble: "#eef2f5", userBubble: "#00577a", onUserBubble: "#fff" },
 *     open: false }                              // open the chat at once
 *
 * Settings are checked here so a typo on the page degrades to a default
 * instead of breaking the widget or injecting styles.
 */

/** The CSS custom property each colour setting sets. */
const COLOR_PROPERTIES = {
  primary: "--wg-primary",
  onPrimary: "--wg-on-primary",
  background: "--wg-background",
  text: "--wg-text",
  botBubble: "--wg-bot-bubble",
  userBubble: "--wg-user-bubble",
  onUserBubble: "--wg-on-user-bubble",
};

/** The settings to use, from the page's `raw` object and the widget's own address. */
export function readConfig(raw, moduleUrl) {
  const settings = raw && typeof raw === "object" ? raw : {};
  return {
    serverUrl: serverUrl(settings.serverUrl, moduleUrl),
    language: languageTag(settings.language) || languageTag(navigator.language),
    title: typeof settings.title === "string" && settings.title.trim() ? settings.title.trim() : null,
    colors: colors(settings.colors),
    open: settings.open === true,
  };
}

/** The guide's address without a trailing slash: a valid http(s) URL, else the widget's origin. */
function serverUrl(value, moduleUrl) {
  try {
    const url = new URL(value || new URL(moduleUrl).origin);
    if (url.protocol === "http:" || url.protocol === "https:") {
      return url.href.replace(/\/+$/, "");
    }
  } catch (error) {
    console.warn("Welcome Guide: serverUrl is not a web address; using the widget's own server.");
  }
  return new URL(moduleUrl).origin;
}

/** The language part of a tag such as "de-DE", lower-cased; null if there is none. */
function languageTag(value) {
  if (typeof value !== "string") return null;
  const code = value.trim().replace("_", "-").split("-")[0].toLowerCase();
  return /^[a-z]{2,3}$/.test(code) ? code : null;
}

/** The CSS properties for the colours that the browser accepts as colours. */
function colors(value) {
  const properties = {};
  if (!value || typeof value !== "object") return properties;
  for (const [key, property] of Object.entries(COLOR_PROPERTIES)) {
    if (typeof value[key] === "string" && CSS.supports("color", value[key])) {
      properties[property] = value[key];
    }
  }
  return properties;
}
