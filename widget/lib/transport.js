/**
 * Talking to the guide: Rasa's socket.io channel for messages, plain HTTP for the rest.
 *
 * The socket carries the conversation both ways, so replies pushed later
 * (a counsellor's) arrive at once. After every (re)connection the session is
 * requested again with the stored id: that puts this browser back into its
 * conversation's room on the server. Messages typed while the connection is
 * down wait here and go out once the session is confirmed, so none is lost
 * or sent without its conversation.
 */

import { io } from "../node_modules/socket.io-client/dist/socket.io.esm.min.js";

const API_PATH = "/webhooks/socketio";
const USER_EVENT = "user_uttered";
const BOT_EVENT = "bot_uttered";

export class Transport {
  /**
   * @param {string} serverUrl the guide's address
   * @param {object} handlers onSession(id), onMessage(message), onConnectionChange(connected)
   */
  constructor(serverUrl, handlers) {
    this.serverUrl = serverUrl;
    this.handlers = handlers;
    this.sessionId = null;
    this.confirmed = false;
    this.outbox = [];
    this.socket = null;
  }

  /** Open the connection, continuing the conversation `sessionId` if there is one. */
  connect(sessionId) {
    this.sessionId = sessionId;
    this.socket = io(this.serverUrl, { path: "/socket.io", reconnection: true });
    this.socket.on("connect", () => this.requestSession());
    this.socket.on("session_confirm", (id) => this.confirmSession(id));
    this.socket.on(BOT_EVENT, (message) => this.handlers.onMessage(message));
    this.socket.on("disconnect", () => this.lost());
    this.socket.on("connect_error", () => this.lost());
  }

  requestSession() {
    this.socket.emit("session_request", { session_id: this.sessionId });
  }

  /** The server confirmed the session: let the widget catch up, then send what waited. */
  async confirmSession(id) {
    this.sessionId = id;
    this.handlers.onConnectionChange(true);
    await this.handlers.onSession(id);
    if (!this.socket.connected) return; // lost again meanwhile; the next confirmation goes on
    this.confirmed = true;
    this.flush();
  }

  lost() {
    this.confirmed = false;
    this.handlers.onConnectionChange(false);
  }

  /** Send a user message; `metadata` travels with it (language hint, text shown). */
  send(text, metadata) {
    this.outbox.push({ message: text, metadata });
    if (this.confirmed) this.flush();
  }

  /** The texts shown for messages still waiting to be sent. */
  pendingTexts() {
    return this.outbox.map((item) => item.metadata.shown_text);
  }

  flush() {
    while (this.outbox.length && this.confirmed) {
      const { message, metadata } = this.outbox.shift();
      this.socket.emit(USER_EVENT, { message, session_id: this.sessionId, metadata });
    }
  }

  /** The conversation's messages so far (none for a new conversation). */
  async history(sessionId) {
    const response = await fetch(`${this.serverUrl}${API_PATH}/history/${encodeURIComponent(sessionId)}`);
    if (!response.ok) throw new Error(`history: HTTP ${response.status}`);
    return (await response.json()).messages || [];
  }

  /** The widget's labels in every language, and the guide's languages. */
  async phrases() {
    const response = await fetch(`${this.serverUrl}${API_PATH}/phrases`);
    if (!response.ok) throw new Error(`phrases: HTTP ${response.status}`);
    return response.json();
  }

  /** Send a vote on an answer; resolves to whether the server stored it. */
  async vote(topic, lang, helpful) {
    const response = await fetch(`${this.serverUrl}${API_PATH}/feedback`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ session_id: this.sessionId, topic, lang, helpful }),
    });
    return response.ok;
  }
}
