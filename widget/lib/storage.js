/**
 * What the widget remembers in the browser: the conversation's session id and the votes given.
 *
 * The session id is what lets a reload continue the same conversation; the
 * conversation itself stays on the server. Keys include the server's
 * address, so two guides on one site do not mix. Storage may be unavailable
 * (private mode, blocked cookies): then the widget still works, it just
 * forgets on reload.
 */

const PREFIX = "welcome-guide";

export class Storage {
  constructor(serverUrl) {
    this.prefix = `${PREFIX}:${serverUrl}`;
  }

  /** The session id of the ongoing conversation, or null. */
  get sessionId() {
    return this.read("session");
  }

  set sessionId(value) {
    if (value !== this.sessionId) this.remove("votes");
    this.write("session", value);
  }

  /** The vote ("up" or "down") given on the conversation's n-th answer, or undefined. */
  voteOn(answerNumber) {
    return this.votes()[answerNumber];
  }

  rememberVote(answerNumber, vote) {
    this.write("votes", JSON.stringify({ ...this.votes(), [answerNumber]: vote }));
  }

  votes() {
    try {
      return JSON.parse(this.read("votes") || "{}") || {};
    } catch (error) {
      return {};
    }
  }

  read(key) {
    try {
      return window.localStorage.getItem(`${this.prefix}:${key}`);
    } catch (error) {
      return null;
    }
  }

  write(key, value) {
    try {
      window.localStorage.setItem(`${this.prefix}:${key}`, value);
    } catch (error) {
      /* storage is full or blocked: the conversation just won't survive a reload */
    }
  }

  remove(key) {
    try {
      window.localStorage.removeItem(`${this.prefix}:${key}`);
    } catch (error) {
      /* as above */
    }
  }
}
