/**
 * The conversation: what happens when the user writes, a reply arrives or the connection returns.
 *
 * Every reply of the guide ends with its structured element (`custom`, see
 * the answer contract): it says the reply's language and, for an answer,
 * its topic and sources. So bubbles are collected until the element comes;
 * then they get their language and direction, an answer gets its sources
 * and "Was this helpful?" buttons, and the typing indicator goes.
 *
 * While a counsellor has the conversation (the guide handed it over, or a
 * counsellor joined) the guide is silent, so no typing indicator promises a
 * reply; a counsellor's messages are labelled as theirs.
 *
 * After each (re)connection the conversation is drawn again from the
 * server's history: that shows it after a reload, and whatever was sent
 * while the connection was down.
 */

const ANSWER = "answer";
const HANDOFF = "handoff";
const COUNSELLOR = "counsellor";
const CHANGE_LANGUAGE = (code) => `/change_language{"language_choice":"${code}"}`;

export class Chat {
  constructor({ config, view, transport, storage, phrases }) {
    this.config = config;
    this.view = view;
    this.transport = transport;
    this.storage = storage;
    this.phrases = phrases.phrases;
    this.languages = phrases.languages;
    this.defaultLanguage = phrases.default_language;
    this.lang = this.supported(config.language) || this.defaultLanguage;
    this.resetLog();
  }

  /** Draw the widget and connect, continuing the stored conversation if there is one. */
  start() {
    this.view.build(this.languages);
    this.showLanguage(this.lang);
    if (this.config.open) this.view.open();
    this.transport.connect(this.storage.sessionId);
  }

  /** Forget what was drawn: the log is about to be drawn anew. */
  resetLog() {
    this.pendingBubbles = [];
    this.answerCount = 0;
    this.withCounsellor = false;
  }

  // -- labels -------------------------------------------------------------------

  supported(code) {
    return this.languages.some((language) => language.code === code) ? code : null;
  }

  isRtl(code) {
    return this.languages.some((language) => language.code === code && language.rtl);
  }

  /** A function giving each label in `lang` (English if a label lacks it). */
  labels(lang) {
    return (key) => (this.phrases[key] || {})[lang] || (this.phrases[key] || {})[this.defaultLanguage] || key;
  }

  showLanguage(lang) {
    this.lang = lang;
    this.view.setLanguage(lang, this.isRtl(lang), this.labels(lang), this.config.title);
  }

  // -- from the user ------------------------------------------------------------

  /** The user wrote `text`; `shown` is what their bubble shows (a button's title). */
  send(text, shown = text) {
    this.view.addUserMessage(shown);
    if (!this.withCounsellor) this.view.setTyping(true);
    const metadata = { shown_text: shown };
    if (this.config.language) metadata.language_code = this.config.language;
    this.transport.send(text, metadata);
  }

  chooseLanguage(code) {
    const language = this.languages.find((item) => item.code === code);
    if (language && code !== this.lang) this.send(CHANGE_LANGUAGE(code), language.name);
  }

  /** Send a vote on an answer; it is remembered (so a reload shows it) once stored. */
  async vote(answer, vote, buttons) {
    this.view.showVote(buttons, vote);
    const stored = await this.transport.vote(answer.topic, answer.lang, vote === "up").catch(() => false);
    if (stored) this.storage.rememberVote(answer.number, vote);
  }

  // -- from the guide -----------------------------------------------------------

  /** One message of the guide, live or from the history. */
  receive(message) {
    if (!message || typeof message !== "object") return;
    if (message.text || message.quick_replies) {
      this.pendingBubbles.push(this.view.addBotMessage(message.text, message.quick_replies));
    }
    if (message.custom && typeof message.custom === "object") this.endReply(message.custom);
  }

  /** The reply's element arrived: give its bubbles their language, add an answer's extras. */
  endReply(custom) {
    const lang = this.supported(custom.lang) || this.lang;
    this.view.setDirection(this.pendingBubbles, lang, this.isRtl(lang));
    const typed = custom.type === COUNSELLOR && custom.event === "message";
    if (typed || custom.by === COUNSELLOR) {
      this.view.markAsCounsellor(this.pendingBubbles, this.labels(lang)("web_counsellor"), typed);
    }
    this.pendingBubbles = [];
    this.followHandoff(custom);
    if (custom.type === ANSWER) this.addAnswerExtras(custom, lang);
    this.view.setTyping(false);
    if (lang !== this.lang) this.showLanguage(lang);
  }

  /** Note whether a counsellor has the conversation now. */
  followHandoff(custom) {
    if (custom.type === HANDOFF) this.withCounsellor = Boolean(custom.waiting_for_counsellor);
    if (custom.type === COUNSELLOR) this.withCounsellor = custom.event !== "left";
  }

  addAnswerExtras(custom, lang) {
    this.answerCount += 1;
    const answer = { number: this.answerCount, topic: custom.topic, lang };
    this.view.addAnswerExtras({
      sources: custom.sources,
      lang,
      rtl: this.isRtl(lang),
      label: this.labels(lang),
      vote: this.storage.voteOn(answer.number),
      onVote: (vote, buttons) => this.vote(answer, vote, buttons),
    });
  }

  /** Draw the whole conversation again from the server's record of it. */
  async restore(sessionId) {
    let messages;
    try {
      messages = await this.transport.history(sessionId);
    } catch (error) {
      return; // keep what is shown; the next reconnection tries again
    }
    this.view.clearLog();
    this.resetLog();
    const lastBot = messages.map((m) => m.from).lastIndexOf("bot");
    messages.forEach((message, index) => {
      if (message.from === "user") this.view.addUserMessage(message.text);
      // Only the last message's buttons still make sense.
      else this.receive(index === lastBot ? message : { ...message, quick_replies: undefined });
    });
    // Messages typed meanwhile are not in the history yet: keep showing them.
    for (const shown of this.transport.pendingTexts()) this.view.addUserMessage(shown);
  }
}
