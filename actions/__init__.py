"""The Rasa SDK actions of Welcome Guide: they decide what the guide says.

Every action answers in the language chosen by :mod:`bot.language.choice` and
returns one reply shaped by :mod:`bot.replies`. The knowledge base is loaded
once, when the action server imports this package; if it is broken the server
stops with the list of problems instead of serving half of it.
"""
