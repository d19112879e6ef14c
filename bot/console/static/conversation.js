// One conversation: its live transcript and notes, and the counsellor's actions.
"use strict";

(() => {
  const { data, t, el, formatTime, post, showError } = Console;
  const transcript = document.getElementById("transcript");
  let shown = 0;  // messages already in the transcript
  let acting = false;  // an action is on its way to the server
  let stale = false;  // the page must be drawn anew once that action is answered
  let leaving = false;

  function go(url) {
    leaving = true;
    window.location.assign(url);
  }

  /** Draw the page anew, but not under an action in flight (its answer decides where to go). */
  function redraw() {
    if (acting) stale = true;
    else if (!leaving) window.location.reload();
  }

  const SENDER = { user: "from_user", guide: "from_guide", counsellor: "from_counsellor" };

  function message(entry) {
    const item = el("li", "message from-" + entry.from);
    if (entry.from === "system") {
      item.append(el("p", "mark", t(entry.event === "paused" ? "mark_paused" : "mark_resumed")));
      item.append(el("time", "time", formatTime(entry.time)));
      return item;
    }
    const meta = el("p", "meta");
    meta.append(el("span", "sender", t(SENDER[entry.from] || "from_guide")));
    if (entry.event === "answer") meta.append(el("span", "tag", t("inserted_answer")));
    if (entry.topic) meta.append(el("span", "tag topic", entry.topic));
    meta.append(el("time", "time", formatTime(entry.time)));
    const text = el("p", "text", entry.text);
    text.dir = "auto";
    item.append(meta, text);
    return item;
  }

  function renderMessages(messages) {
    if (messages === null) return;  // Rasa cannot be read now: keep what is shown
    if (messages.length < shown || shown === 0) {
      transcript.replaceChildren();
      shown = 0;
      if (!messages.length) transcript.append(el("li", "empty", t("transcript_empty")));
    }
    const atBottom = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 40;
    for (const entry of messages.slice(shown)) transcript.append(message(entry));
    if (messages.length > shown && shown > 0) transcript.querySelector(".empty")?.remove();
    if (atBottom || shown === 0) transcript.scrollTop = transcript.scrollHeight;
    shown = messages.length;
  }

  function renderNotes(notes) {
    const list = document.getElementById("notes");
    list.replaceChildren(...notes.map((note) => {
      const item = el("li", "note");
      const meta = el("p", "meta");
      meta.append(el("span", "author", note.author || t("nobody")), el("time", "time", formatTime(note.time)));
      const text = el("p", "text", note.text);
      text.dir = "auto";
      item.append(meta, text);
      return item;
    }));
    document.getElementById("notes-empty").hidden = notes.length > 0;
  }

  function render(state) {
    // Gone, or claimed or closed meanwhile (by anyone): the page changes, so draw it anew.
    if (!state.handoff || state.handoff.status !== data.status
        || state.handoff.counsellor_id !== data.counsellor_id) {
      redraw();
      return;
    }
    document.getElementById("rasa-error").hidden = !state.rasa_error;
    renderMessages(state.messages);
    renderNotes(state.notes);
  }

  /** Send a form as an action; its text stays until the server took it. */
  function wire(form, fields, onDone) {
    if (!form) return;
    const error = form.querySelector(".error");
    const button = form.querySelector("button[type=submit]");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      act(button, error, () => post(form.dataset.url, fields()), onDone);
    });
  }

  async function act(button, error, send, onDone, onFailure) {
    button.disabled = true;
    acting = true;
    showError(error, "");
    try {
      onDone(await send());
    } catch (failure) {
      showError(error, failure.message);
      if (onFailure) onFailure(failure);
    } finally {
      button.disabled = false;
      acting = false;
      if (stale) redraw();
    }
  }

  const replyText = document.getElementById("reply-text");
  wire(document.getElementById("reply-form"), () => ({ text: replyText.value }), () => { replyText.value = ""; });

  const noteText = document.getElementById("note-text");
  wire(document.getElementById("note-form"), () => ({ text: noteText.value }), () => { noteText.value = ""; });

  const outcome = document.getElementById("outcome");
  wire(document.getElementById("handback-form"), () => ({ outcome: outcome ? outcome.value : "" }),
       (result) => go(result.url));

  // Insert an answer: search the topics, preview the answer, send it in the user's language.
  const topicSelect = document.getElementById("topic");
  if (topicSelect) {
    const topics = new Map(JSON.parse(document.getElementById("topics-data").textContent).map((topic) => [topic.id, topic]));
    const search = document.getElementById("topic-search");
    search.addEventListener("input", () => {
      const words = search.value.trim().toLowerCase();
      for (const option of topicSelect.options) {
        const topic = topics.get(option.value);
        const haystack = (topic.id + " " + topic.category + " " + topic.preview).toLowerCase();
        option.hidden = Boolean(words) && !haystack.includes(words);
      }
    });
    topicSelect.addEventListener("change", () => {
      const topic = topics.get(topicSelect.value);
      document.getElementById("topic-preview").hidden = !topic;
      document.getElementById("topic-preview-text").textContent = topic ? topic.preview : "";
      document.getElementById("topic-sent-text").textContent = topic ? topic.sent : "";
    });
    wire(document.getElementById("answer-form"), () => ({ topic: topicSelect.value }), () => {});
  }

  // Claim from this page.
  const claimButton = document.getElementById("claim");
  if (claimButton) {
    claimButton.addEventListener("click", () => act(
      claimButton, document.getElementById("claim-error"), () => post(claimButton.dataset.url),
      (result) => go(result.url),
      // Someone else was first: the page is drawn anew, saying who.
      (failure) => { if (failure.status === 409) go(window.location.pathname + "?notice=taken"); }));
  }

  Console.follow("/handoffs/" + data.handoff_id + "/stream", render);
})();
