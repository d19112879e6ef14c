"""Passing a conversation from the guide to a human counsellor, and back.

- :mod:`bot.handoff.settings`: office hours (``handoff.yml``) and retention;
- :mod:`bot.handoff.messages`: the Rasa events a counsellor's work appends to
  the conversation (the counsellor console in :mod:`bot.console` sends them).

The handoffs themselves, and the rules for opening, claiming and closing
them, are kept in the guide's database: :mod:`bot.storage.handoffs`. The
guide's actions (``actions/handoff.py``) open handoffs and pause the
conversation; the console claims, answers and hands back.
"""
