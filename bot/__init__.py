"""Welcome Guide: the multilingual virtual guide of the Welcome Center Region Stuttgart.

The package is laid out along the way a message travels:

- ``bot.nlu``: Rasa graph components that read a message (language, tokens, chat commands).
- ``bot.training``: the importer that turns the knowledge base into Rasa training data.
- ``bot.language``: which languages the guide speaks and which one to answer in.
- ``bot.knowledge``: loading and validating the editors' content in ``knowledge/``.
- ``bot.replies``: the shape of every reply (text plus the machine-readable element).

The Rasa SDK actions in the top-level ``actions`` package tie these together.
"""
