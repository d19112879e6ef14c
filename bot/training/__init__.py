"""Turning the knowledge base into Rasa training data (see :mod:`bot.training.importer`)."""
