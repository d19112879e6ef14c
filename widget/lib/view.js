/**
 * The widget's DOM: a launcher button and a chat panel, usable by keyboard and screen reader.
 *
 * Only builds and updates elements; what happens on a click or a message is
 * the controller's (chat.js) business, passed in as callbacks. Focus order
 * follows the DOM: title, language, close, the messages (with their links and
 * buttons), the input, send. Escape closes the panel and returns focus to
 * the launcher; Enter sends, Shift+Enter starts a new line.
 */

import { element, markdownFragment, sourcesElement } from "./render.js";

/** How long the typing indicator may show without a reply. */
const TYPING_TIMEOUT_MS = 30000;
/** How long the language menu must rest on a choice before the language changes. */
const LANGUAGE_DELAY_MS = 600;

export class View {
  /**
   * @param {ShadowRoot} root where the widget lives, apart from the page's styles
   * @param {object} actions onSend(text), onLanguage(code), onQuickReply(title, payload)
   */
  constructor(root, actions) {
    this.root = root;
    this.actions = actions;
    this.typingTimer = null;
  }

  /** Build the launcher and the (closed) panel. */
  build(languages) {
    this.launcher = element("button", "launcher");
    this.launcher.type = "button";
    this.launcher.setAttribute("aria-expanded", "false");
    this.launcher.setAttribute("aria-controls", "wg-panel");
    this.launcher.append(element("span", "launcher-icon", "💬"));
    this.launcher.addEventListener("click", () => this.toggle());
    this.panel = this.buildPanel(languages);
    this.root.append(this.launcher, this.panel);
  }

  buildPanel(languages) {
    const panel = element("section", "panel");
    panel.id = "wg-panel";
    panel.hidden = true;
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-labelledby", "wg-title");
    panel.addEventListener("keydown", (event) => this.onPanelKey(event));
    this.status = element("p", "status");
    this.status.setAttribute("role", "status");
    this.status.hidden = true;
    this.log = element("div", "log");
    this.log.setAttribute("role", "log");
    this.log.setAttribute("aria-live", "polite");
    this.log.tabIndex = 0;
    this.typing = this.buildTyping();
    panel.append(this.buildHeader(languages), this.status, this.log, this.typing, this.buildForm());
    return panel;
  }

  buildHeader(languages) {
    const header = element("header", "header");
    this.title = element("h2", "title");
    this.title.id = "wg-title";
    this.languageSelect = element("select", "language");
    for (const language of languages) {
      const option = element("option", null, language.name);
      option.value = language.code;
      option.lang = language.code;
      this.languageSelect.append(option);
    }
    this.languageSelect.addEventListener("change", () => this.onLanguageChange());
    this.closeButton = element("button", "close", "×");
    this.closeButton.type = "button";
    this.closeButton.addEventListener("click", () => this.close());
    header.append(this.title, this.languageSelect, this.closeButton);
    return header;
  }

  buildTyping() {
    const typing = element("div", "typing");
    typing.hidden = true;
    typing.setAttribute("role", "status");
    this.typingText = element("span", "visually-hidden");
    const dots = element("span", "dots");
    dots.setAttribute("aria-hidden", "true");
    dots.append(element("span"), element("span"), element("span"));
    typing.append(dots, this.typingText);
    return typing;
  }

  buildForm() {
    const form = element("form", "composer");
    this.inputLabel = element("label", "visually-hidden");
    this.inputLabel.htmlFor = "wg-input";
    this.input = element("textarea", "input");
    this.input.id = "wg-input";
    this.input.rows = 1;
    this.input.maxLength = 2000;
    this.input.addEventListener("keydown", (event) => this.onInputKey(event));
    this.sendButton = element("button", "send");
    this.sendButton.type = "submit";
    this.sendButton.append(element("span", null, "➤"));
    this.sendButton.firstChild.setAttribute("aria-hidden", "true");
    form.addEventListener("submit", (event) => this.onSubmit(event));
    form.append(this.inputLabel, this.input, this.sendButton);
    return form;
  }

  // -- labels and direction ---------------------------------------------------

  /** Show every label in `lang` (`label(key)` gives the text) and set the panel's direction. */
  setLanguage(lang, rtl, label, title) {
    this.panel.lang = lang;
    this.panel.dir = rtl ? "rtl" : "ltr";
    this.launcher.lang = lang;
    this.title.textContent = title || label("web_title");
    this.launcher.setAttribute("aria-label", label("web_open"));
    this.closeButton.setAttribute("aria-label", label("web_close"));
    this.languageSelect.setAttribute("aria-label", label("web_language"));
    this.languageSelect.value = lang;
    this.log.setAttribute("aria-label", label("web_messages"));
    this.inputLabel.textContent = label("web_placeholder");
    this.input.placeholder = label("web_placeholder");
    this.sendButton.setAttribute("aria-label", label("web_send"));
    this.typingText.textContent = label("web_typing");
    this.status.textContent = label("web_reconnecting");
  }

  // -- opening and closing ------------------------------------------------------

  get isOpen() {
    return !this.panel.hidden;
  }

  open() {
    this.panel.hidden = false;
    this.launcher.setAttribute("aria-expanded", "true");
    this.launcher.classList.remove("unread");
    this.scrollToEnd();
    this.input.focus();
  }

  close() {
    this.panel.hidden = true;
    this.launcher.setAttribute("aria-expanded", "false");
    this.launcher.focus();
  }

  toggle() {
    if (this.isOpen) this.close();
    else this.open();
  }

  onPanelKey(event) {
    if (event.key === "Escape") {
      event.preventDefault();
      this.close();
    }
  }

  /**
   * Switch the language once the choice rests: with the keyboard, arrowing
   * through a closed list fires a change per language passed.
   */
  onLanguageChange() {
    clearTimeout(this.languageTimer);
    this.languageTimer = setTimeout(() => this.actions.onLanguage(this.languageSelect.value), LANGUAGE_DELAY_MS);
  }

  onInputKey(event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.onSubmit(event);
    }
  }

  onSubmit(event) {
    event.preventDefault();
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = "";
    this.actions.onSend(text);
  }

  // -- messages -----------------------------------------------------------------

  clearLog() {
    this.log.replaceChildren();
  }

  /** A user message: always plain text. */
  addUserMessage(text) {
    this.removeQuickReplies();
    const bubble = element("div", "message user", text);
    bubble.dir = "auto";
    return this.append(bubble);
  }

  /** A bot message: its Markdown, sanitised, and its quick-reply buttons. */
  addBotMessage(text, quickReplies) {
    const bubble = element("div", "message bot");
    bubble.dir = "auto";
    if (text) bubble.append(markdownFragment(text));
    bubble.plainText = text || "";
    if (Array.isArray(quickReplies) && quickReplies.length) bubble.append(this.quickReplies(quickReplies));
    if (!this.isOpen) this.launcher.classList.add("unread");
    return this.append(bubble);
  }

  /**
   * Label bubbles as sent by a counsellor. What a counsellor typed is plain
   * text, not the guide's Markdown (`typed`): it is shown exactly as written.
   */
  markAsCounsellor(bubbles, label, typed) {
    for (const bubble of bubbles) {
      bubble.classList.add("counsellor");
      if (typed) {
        // Typed in whatever language the counsellor chose: the text sets its own direction.
        const text = element("span", "plain", bubble.plainText);
        text.dir = "auto";
        bubble.replaceChildren(text);
        bubble.removeAttribute("lang");
      }
      bubble.prepend(element("span", "author", label));
    }
  }

  quickReplies(replies) {
    const group = element("div", "quick-replies");
    for (const reply of replies) {
      if (!reply || typeof reply.title !== "string") continue;
      const button = element("button", "quick-reply", reply.title);
      button.type = "button";
      button.addEventListener("click", () => this.actions.onQuickReply(reply.title, reply.payload || reply.title));
      group.append(button);
    }
    return group;
  }

  /** Old buttons would answer a question no longer asked: they go once the user writes. */
  removeQuickReplies() {
    for (const group of this.log.querySelectorAll(".quick-replies")) group.remove();
  }

  /** Set the language and direction of a reply's bubbles, once the reply says its language. */
  setDirection(bubbles, lang, rtl) {
    for (const bubble of bubbles) {
      bubble.lang = lang;
      bubble.dir = rtl ? "rtl" : "ltr";
    }
  }

  /** Under an answer: its sources, and the "Was this helpful?" buttons. */
  addAnswerExtras({ sources, lang, rtl, label, vote, onVote }) {
    const extras = element("div", "answer-extras");
    extras.lang = lang;
    extras.dir = rtl ? "rtl" : "ltr";
    const list = sourcesElement(sources, label("sources_label"));
    if (list) extras.append(list);
    extras.append(this.feedback(label, vote, onVote));
    return this.append(extras);
  }

  /** The "Was this helpful?" buttons; `vote` is the one already given, if any. */
  feedback(label, vote, onVote) {
    const group = element("div", "feedback");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", label("feedback_question"));
    const question = element("span", "feedback-question", label("feedback_question"));
    question.setAttribute("aria-hidden", "true");
    const up = this.voteButton("👍", label("feedback_helpful"), "up");
    const down = this.voteButton("👎", label("feedback_not_helpful"), "down");
    const thanks = element("span", "feedback-thanks", label("feedback_thanks"));
    thanks.hidden = true;
    group.append(question, up, down, thanks);
    const buttons = { up, down, thanks };
    for (const button of [up, down]) {
      button.addEventListener("click", () => onVote(button.dataset.vote, buttons));
    }
    if (vote) this.showVote(buttons, vote);
    return group;
  }

  voteButton(symbol, name, vote) {
    const button = element("button", "vote", symbol);
    button.type = "button";
    button.dataset.vote = vote;
    button.setAttribute("aria-label", name);
    button.setAttribute("aria-pressed", "false");
    return button;
  }

  /** Mark the vote given; the buttons stay visible but cannot vote again. */
  showVote(buttons, vote) {
    for (const button of [buttons.up, buttons.down]) {
      button.disabled = true;
      button.setAttribute("aria-pressed", String(button.dataset.vote === vote));
    }
    buttons.thanks.hidden = false;
  }

  append(node) {
    this.log.append(node);
    this.scrollToEnd();
    return node;
  }

  scrollToEnd() {
    this.log.scrollTop = this.log.scrollHeight;
  }

  // -- state --------------------------------------------------------------------

  setTyping(typing) {
    clearTimeout(this.typingTimer);
    this.typing.hidden = !typing;
    if (typing) this.typingTimer = setTimeout(() => this.setTyping(false), TYPING_TIMEOUT_MS);
  }

  setConnected(connected) {
    this.status.hidden = connected;
  }
}
