// The live queue: waiting conversations, mine, and recently closed ones.
"use strict";

(() => {
  const { t, el, formatTime, formatWait, waitedTooLong, channelLabel, post } = Console;
  let latest = null;

  function badge(text, className) {
    return el("li", "badge " + (className || ""), text);
  }

  function row(handoff, kind) {
    const item = el("li", "handoff " + kind);
    item.dataset.id = handoff.id;
    const head = el("div", "handoff-head");
    head.append(el("span", "language-name", handoff.language_name));
    const badges = el("ul", "badges");
    badges.append(badge(t("channel") + ": " + channelLabel(handoff.channel), "channel"));
    if (kind !== "closed") {
      const wait = badge(t("waiting_since") + ": " + formatWait(handoff.created_at), "wait");
      wait.dataset.since = handoff.created_at;
      badges.append(wait);
    }
    if (handoff.outside_hours) badges.append(badge(t("outside_hours"), "flag"));
    if (handoff.contact_consent) badges.append(badge(t("contact_consent"), "consent"));
    if (handoff.reason === "offered") badges.append(badge(t("reason_offered")));
    if (kind === "waiting" && waitedTooLong(handoff.created_at)) badges.append(badge(t("overdue"), "overdue"));
    if (kind === "closed") {
      badges.append(badge(t("closed_at") + ": " + formatTime(handoff.closed_at)));
      badges.append(badge(t("handled_by") + ": " + (handoff.counsellor || t("nobody"))));
      if (handoff.outcome) badges.append(badge(t("outcome_" + handoff.outcome), "outcome"));
    }
    head.append(badges);
    item.append(head);

    const topics = el("p", "topics");
    topics.append(el("span", "label", t("topics_tried") + ": "));
    topics.append(document.createTextNode(handoff.topics_tried.length ? handoff.topics_tried.join(", ") : t("no_topics")));
    item.append(topics);

    if (kind !== "closed") item.append(lastMessages(handoff.last_messages));
    item.append(actions(handoff, kind));
    return item;
  }

  function lastMessages(texts) {
    const box = el("div", "last-messages");
    box.append(el("p", "label", t("last_messages")));
    if (texts === null || texts === undefined) {
      box.append(el("p", "unavailable", t("messages_unavailable")));
      return box;
    }
    const list = el("ol", "user-texts");
    for (const text of texts) {
      // Each message takes its own direction: Arabic reads (and aligns) right to left.
      const item = el("li", "user-text", text);
      item.dir = "auto";
      list.append(item);
    }
    box.append(list);
    return box;
  }

  function actions(handoff, kind) {
    const box = el("div", "row-actions");
    if (kind === "waiting") {
      const button = el("button", "claim", t("claim"));
      button.type = "button";
      button.addEventListener("click", () => claim(handoff.id, button));
      box.append(button);
    }
    const link = el("a", "open", t("open"));
    link.href = "/handoffs/" + handoff.id;
    box.append(link);
    return box;
  }

  // The answer is shown above the lists: the row itself may be gone at the next update.
  async function claim(id, button) {
    const message = document.getElementById("queue-message");
    button.disabled = true;
    Console.showError(message, "");
    try {
      const result = await post("/handoffs/" + id + "/claim");
      window.location.assign(result.url);
    } catch (failure) {
      Console.showError(message, failure.message);
      button.disabled = false;
    }
  }

  function fill(listId, rows, kind) {
    const list = document.getElementById(listId);
    list.replaceChildren(...rows.map((handoff) => row(handoff, kind)));
    document.getElementById(listId + "-empty").hidden = rows.length > 0;
  }

  function render(state) {
    latest = state;
    fill("waiting", state.waiting, "waiting");
    fill("mine", state.mine, "mine");
    fill("closed", state.closed, "closed");
    document.getElementById("waiting-count").textContent = state.waiting.length ? "(" + state.waiting.length + ")" : "";
    document.getElementById("rasa-error").hidden = !state.rasa_error;
  }

  Console.follow("/queue/stream", render);
  // Waiting times grow without news from the server.
  setInterval(() => { if (latest) render(latest); }, 20000);
})();
