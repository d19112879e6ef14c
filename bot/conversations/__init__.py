"""Conversations as Rasa keeps them: reading them back, and erasing them.

Rasa's tracker store is the one record of a conversation. Everything the
guide needs from it goes through this package:

- :mod:`bot.conversations.events`: reading a conversation's events: the
  structured element of each reply, what the user saw as their own message,
  the question an answer replied to;
- :mod:`bot.conversations.records`: the tracker store's SQL table, for
  deleting one conversation or those past their retention period;
- :mod:`bot.conversations.service`: :class:`Conversations`, the running
  Rasa server's access to one conversation (its language, whether a
  counsellor has it, erasing it with its handoffs under its lock).
"""
