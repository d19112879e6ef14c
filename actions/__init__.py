"""The Rasa SDK actions of Welcome Guide: they decide what the guide says.

Every action answers in the language chosen by :mod:`bot.language.choice` and
returns one reply shaped by :mod:`bot.replies`. The knowledge base is loaded
at the first message; if it is broken then, the server stops with the list of
problems instead of serving half of it. Later edits are picked up while the
server runs, once they are valid (:mod:`bot.knowledge.live`).
"""
