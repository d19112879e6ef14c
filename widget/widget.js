/**
 * Welcome Guide web chat: one script tag puts the guide's chat launcher on any page.
 *
 *   <script>window.WelcomeGuideConfig = { language: "de" };</script>   <!-- optional, see lib/config.js -->
 *   <script type="module" src="https://guide.example.org/widget/widget.js"></script>
 *
 * The widget lives in a shadow root, so the page's styles and the widget's
 * do not touch each other. It talks to the server it was loaded from unless
 * `serverUrl` says otherwise. `window.WelcomeGuide.open()` / `.close()` let
 * the page open it from its own links.
 */

import { Chat } from "./lib/chat.js";
import { readConfig } from "./lib/config.js";
import { Storage } from "./lib/storage.js";
import { Transport } from "./lib/transport.js";
import { View } from "./lib/view.js";

const HOST_ID = "welcome-guide";
/** Wait this long between attempts to reach a guide that is not up yet. */
const RETRY_MS = 5000;

/** The page element holding the widget, with the page's colour settings applied. */
function createHost(config) {
  const host = document.createElement("div");
  host.id = HOST_ID;
  for (const [property, value] of Object.entries(config.colors)) host.style.setProperty(property, value);
  document.body.append(host);
  return host;
}

/** Load the widget's stylesheet into its shadow root; resolves once it applies (or failed). */
function addStylesheet(root) {
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = new URL("widget.css", import.meta.url).href;
  const loaded = new Promise((resolve) => {
    link.addEventListener("load", resolve);
    link.addEventListener("error", resolve);
  });
  root.append(link);
  return loaded;
}

/** The widget's labels and languages, asked again until the guide answers. */
async function loadPhrases(transport) {
  for (;;) {
    try {
      return await transport.phrases();
    } catch (error) {
      console.warn(`Welcome Guide: ${transport.serverUrl} is not reachable; trying again.`);
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}

async function mount() {
  if (document.getElementById(HOST_ID)) return; // the script was included twice
  const config = readConfig(window.WelcomeGuideConfig, import.meta.url);
  const host = createHost(config);
  const root = host.attachShadow({ mode: "open" });
  const storage = new Storage(config.serverUrl);
  let chat = null;
  const transport = new Transport(config.serverUrl, {
    onSession: (id) => {
      storage.sessionId = id;
      return chat.restore(id);
    },
    onMessage: (message) => chat.receive(message),
    onConnectionChange: (connected) => chat.view.setConnected(connected),
  });
  const view = new View(root, {
    onSend: (text) => chat.send(text),
    onLanguage: (code) => chat.chooseLanguage(code),
    onQuickReply: (title, payload) => chat.send(payload, title),
  });
  const [phrases] = await Promise.all([loadPhrases(transport), addStylesheet(root)]);
  chat = new Chat({ config, view, transport, storage, phrases });
  chat.start();
  // For the page (and for tests): open or close the chat, reach the conversation.
  host.welcomeGuide = chat;
  window.WelcomeGuide = { open: () => view.open(), close: () => view.close() };
}

mount();
