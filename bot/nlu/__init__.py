"""Rasa graph components that read a user message before the intent is classified.

Configured in ``config.yml``'s pipeline, in this order:

1. :class:`bot.nlu.language_detector.LanguageDetector` finds the message's language
   and adds it to the parse data (key ``language``).
2. :class:`bot.nlu.tokenizer.LanguageAwareTokenizer` splits the text with spaCy's
   rules for that language and reduces words to their dictionary form.
3. Rasa's featurizers and intent classifier, then its FallbackClassifier.
4. :class:`bot.nlu.commands.ChatCommands` turns chat commands ("/human") and empty
   messages into intents, overriding the classifier.
"""

from bot.language.choice import DETECTION_KEY as LANGUAGE  # the key of the detection in the parse data
from bot.text import MAX_UNDERSTOOD_CHARS  # the part of a message that is read

__all__ = ["LANGUAGE", "MAX_UNDERSTOOD_CHARS"]
