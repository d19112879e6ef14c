// Shared helpers of the console's pages. Plain JavaScript, no build step.
// Everything a user or counsellor wrote is put into the page with textContent,
// never as HTML: a message like "<script>" is shown as exactly that text.
"use strict";

const Console = (() => {
  const data = JSON.parse(document.getElementById("page-data").textContent);
  const csrfToken = document.querySelector('meta[name="csrftoken"]').content;

  /** A text of the console's language, with {placeholders} filled in. */
  function t(key, values) {
    let text = data.texts[key] || key;
    for (const [name, value] of Object.entries(values || {})) {
      text = text.split("{" + name + "}").join(String(value));
    }
    return text;
  }

  /** A new element with a class and (as text, never HTML) its content. */
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // British English: day before month, 24-hour clock, as read in Stuttgart.
  const timeFormat = new Intl.DateTimeFormat(data.lang === "en" ? "en-GB" : data.lang, {
    timeZone: data.timezone, day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit",
  });

  /** A moment (ISO text or seconds since 1970) in the office's time zone. */
  function formatTime(moment) {
    if (moment === null || moment === undefined) return "";
    const date = typeof moment === "number" ? new Date(moment * 1000) : new Date(moment);
    return timeFormat.format(date);
  }

  /** How long ago ``iso`` was, as "5 min" or "1 h 20 min". */
  function formatWait(iso) {
    const minutes = Math.max(0, Math.floor((Date.now() - new Date(iso).getTime()) / 60000));
    if (minutes < 60) return minutes + " " + t("minutes_short");
    return Math.floor(minutes / 60) + " " + t("hours_short") + " " + (minutes % 60) + " " + t("minutes_short");
  }

  function waitedTooLong(iso) {
    return (Date.now() - new Date(iso).getTime()) / 1000 >= data.alert_seconds;
  }

  function channelLabel(channel) {
    const key = "channel_" + channel;
    return data.texts[key] || channel;
  }

  /**
   * POST a form's fields (and the CSRF token in its header); resolves to the JSON answer.
   * A refusal rejects with the console's own sentence saying why.
   */
  async function post(url, fields) {
    let response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: { "x-csrftoken": csrfToken, "Accept": "application/json" },
        body: new URLSearchParams(fields || {}),
        credentials: "same-origin",
      });
    } catch (error) {
      throw new Error(t("network_error"));
    }
    const type = response.headers.get("content-type") || "";
    const body = type.includes("application/json") ? await response.json() : { error: await response.text() };
    if (response.status === 401) {
      window.location.assign("/login?next=" + encodeURIComponent(window.location.pathname));
    }
    if (!response.ok) {
      const failure = new Error(body.error || response.statusText);
      failure.status = response.status;
      throw failure;
    }
    return body;
  }

  /** Show ``message`` in a form's error line, or hide it. */
  function showError(node, message) {
    node.textContent = message || "";
    node.hidden = !message;
  }

  /**
   * Follow a live stream of "state" events. A dropped connection is shown and
   * retried by the browser; a stream that was refused (the session ended)
   * sends the counsellor to the login page.
   */
  function follow(url, onState) {
    const status = document.getElementById("live-status");
    const source = new EventSource(url);
    source.addEventListener("state", (event) => {
      status.hidden = true;
      onState(JSON.parse(event.data));
    });
    source.addEventListener("logout", () => {
      source.close();
      window.location.assign("/login");
    });
    source.addEventListener("error", () => {
      status.hidden = false;
      if (source.readyState === EventSource.CLOSED) {
        // Refused (e.g. 401): reloading shows the login page if the session ended.
        setTimeout(() => window.location.reload(), 2000);
      }
    });
    return source;
  }

  return { data, t, el, formatTime, formatWait, waitedTooLong, channelLabel, post, showError, follow };
})();
